import { createHash } from 'node:crypto';
import type { AppConfig, Role } from './app-config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const ROLES: readonly Role[] = ['api', 'worker', 'all'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** write_orders and the merchant-managed fulfillment-order scopes carry an order's fate back (fulfil, mark paid, cancel). */
const DEFAULT_SCOPES =
  'read_orders,write_orders,read_products,write_products,read_inventory,write_inventory,read_locations,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders';

type Env = Record<string, string | undefined>;

/** Reads and validates every variable of the contract; collects all problems before failing. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const required = (name: string, hint: string): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required (${hint})`);
    return value ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const decimal = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const value = read(name) ?? fallback;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    }
    return value;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const databaseUrl = url(
    'DATABASE_URL',
    'postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce',
    ['postgres:', 'postgresql:'],
  );
  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
  const appUrl = url('APP_URL', 'http://localhost:3000', ['http:', 'https:']).replace(/\/+$/, '');
  const adminToken = required('ADMIN_TOKEN', 'the bearer token of the admin role');
  if (adminToken && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters');
  }

  const rawKey = required('TOKEN_ENCRYPTION_KEY', '32 bytes, base64');
  let tokenEncryptionKey = Buffer.alloc(0);
  if (rawKey) {
    tokenEncryptionKey = Buffer.from(rawKey, 'base64');
    if (tokenEncryptionKey.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(rawKey)) {
      problems.push('TOKEN_ENCRYPTION_KEY must be 32 bytes encoded as base64');
    }
  }

  const shopUrlTemplate = read('SHOPIFY_SHOP_URL_TEMPLATE') ?? 'https://{shop}';
  if (!shopUrlTemplate.includes('{shop}')) {
    problems.push('SHOPIFY_SHOP_URL_TEMPLATE must contain "{shop}"');
  }
  const apiVersion = read('SHOPIFY_API_VERSION') ?? '2026-10';
  if (!/^\d{4}-\d{2}$|^unstable$/.test(apiVersion)) {
    problems.push('SHOPIFY_API_VERSION must look like 2026-10');
  }

  const connectedRedirectUrl = read('SHOPIFY_CONNECTED_REDIRECT_URL') === undefined ? null : url('SHOPIFY_CONNECTED_REDIRECT_URL', '', ['http:', 'https:']);

  const smtpUrl = read('SMTP_URL') === undefined ? null : url('SMTP_URL', '', ['smtp:', 'smtps:']);
  const forwardingTimeScale = decimal('FORWARDING_TIME_SCALE', 1, 0.0001, 1);

  const role = (read('ROLE') ?? 'all') as Role;
  if (!ROLES.includes(role)) problems.push(`ROLE must be one of ${ROLES.join(', ')}`);
  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = read('LOG_FORMAT') ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push('LOG_FORMAT must be json or pretty');
  const queuePrefix = read('QUEUE_PREFIX') ?? defaultQueuePrefix(databaseUrl);
  if (!/^[A-Za-z0-9_.-]+$/.test(queuePrefix)) problems.push('QUEUE_PREFIX may only hold letters, digits, _ . -');

  const config: AppConfig = {
    port,
    databaseUrl,
    redisUrl,
    queuePrefix,
    appUrl,
    adminToken,
    tokenEncryptionKey,
    shopify: {
      apiKey: read('SHOPIFY_API_KEY') ?? null,
      apiSecret: read('SHOPIFY_API_SECRET') ?? null,
      scopes: (read('SHOPIFY_SCOPES') ?? DEFAULT_SCOPES)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      apiVersion,
      shopUrlTemplate: shopUrlTemplate.replace(/\/+$/, ''),
      connectedRedirectUrl,
    },
    // Fractions of a minute are for demos and tests that must watch several periods go by.
    pollIntervalMinutes: decimal('POLL_INTERVAL_MINUTES', 15, 0.05, 1440),
    pollLookbackHours: integer('POLL_LOOKBACK_HOURS', 24, 1, 24 * 60),
    syncLogRetentionDays: integer('SYNC_LOG_RETENTION_DAYS', 15, 1, 3650),
    role,
    logLevel,
    logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
    emulatorPort: integer('EMULATOR_PORT', 4010, 0, 65535),
    smtpUrl,
    mailFrom: read('MAIL_FROM') ?? 'POS ecommerce <no-reply@localhost>',
    forwardingTimeScale,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Two deployments on one Redis must not take each other's jobs, so by default the prefix names the database:
 * its name, and a short hash of the whole URL for two databases of one name on different servers.
 */
export function defaultQueuePrefix(databaseUrl: string): string {
  let name = 'db';
  try {
    name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || name;
  } catch {
    // An invalid URL is reported by its own check; the prefix only needs to be stable.
  }
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 48);
  const hash = createHash('sha256').update(databaseUrl).digest('hex').slice(0, 8);
  return `pos-${safe}-${hash}`;
}
