export type Role = 'api' | 'worker' | 'all';

export interface AppConfig {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of every BullMQ key, so that several deployments (or test runs) can share one Redis. */
  queuePrefix: string;
  appUrl: string;
  adminToken: string;
  tokenEncryptionKey: Buffer;
  shopify: {
    apiKey: string | null;
    apiSecret: string | null;
    scopes: string[];
    apiVersion: string;
    shopUrlTemplate: string;
    /** Where a merchant's browser goes after the OAuth callback (with shop, businessId, status, error); null: a small HTML page. */
    connectedRedirectUrl: string | null;
  };
  pollIntervalMinutes: number;
  /** How far back the first poll after connecting looks. */
  pollLookbackHours: number;
  syncLogRetentionDays: number;
  role: Role;
  logLevel: string;
  /** json (one JSON object a line, the default) or pretty (colourised, for a developer's terminal). */
  logFormat: 'json' | 'pretty';
  emulatorPort: number;
  /** smtp:// or smtps:// URL for alert e-mails; null: e-mails are written to the log and kept as notifications. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Multiplies ERP forwarding's retry delays (1 in production; tests and demos use less to watch a schedule run). */
  forwardingTimeScale: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
