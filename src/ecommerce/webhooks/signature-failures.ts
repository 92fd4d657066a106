import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { RedisClient } from '../../queue/redis.provider.js';
import { ConnectionService } from '../connection/connection.service.js';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;
const LOG_EVERY_MS = 60_000;
const KNOWN_SHOP_CACHE_MS = 60_000;

/**
 * Webhooks whose signature does not match are refused (401), but a wrong or rotated SHOPIFY_API_SECRET makes
 * every webhook of a shop fail that way, silently, while orders still trickle in by poll. For shops we are
 * connected to, each failure is counted per minute in Redis (shared by every api process, gone after an hour),
 * in /metrics, and logged once a minute per shop; the status of the business flags it.
 */
@Injectable()
export class SignatureFailures {
  private readonly logger = new Logger('WebhookSignatures');
  private readonly known = new Map<string, { known: boolean; at: number }>();
  private readonly loggedAt = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
    private readonly connections: ConnectionService,
    private readonly metrics: MetricsService,
  ) {}

  private key(shop: string, minute: number): string {
    return `${this.config.queuePrefix}:sigfail:${shop}:${minute}`;
  }

  /** Called for every refused signature; never throws and never delays the 401 for long. */
  async record(shop: string | undefined): Promise<void> {
    try {
      const domain = shop?.toLowerCase() ?? '';
      if (!domain || !(await this.isKnown(domain))) {
        this.metrics.webhookSignatureFailures.inc({ shop: 'unknown' });
        return;
      }
      this.metrics.webhookSignatureFailures.inc({ shop: domain });
      const key = this.key(domain, Math.floor(Date.now() / MINUTE_MS));
      await this.redis.redis.multi().incr(key).pexpire(key, (WINDOW_MINUTES + 1) * MINUTE_MS).exec();
      const last = this.loggedAt.get(domain) ?? 0;
      if (Date.now() - last >= LOG_EVERY_MS) {
        this.loggedAt.set(domain, Date.now());
        this.logger.warn({ shop: domain }, `A webhook from ${domain} failed its signature check and was refused: check that SHOPIFY_API_SECRET is the app's current secret`);
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'Could not count a signature failure');
    }
  }

  /** Failures for the shop in the last hour (0 when Redis cannot be read). */
  async lastHour(shop: string): Promise<number> {
    const now = Math.floor(Date.now() / MINUTE_MS);
    const keys = Array.from({ length: WINDOW_MINUTES }, (_, i) => this.key(shop, now - i));
    try {
      const values = await this.redis.redis.mget(...keys);
      return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
    } catch {
      return 0;
    }
  }

  /** Only shops we are connected to are counted: a stranger's header must not create keys or metric labels. */
  private async isKnown(shop: string): Promise<boolean> {
    const cached = this.known.get(shop);
    if (cached && Date.now() - cached.at < KNOWN_SHOP_CACHE_MS) return cached.known;
    const known = (await this.connections.findActiveByShop(shop)) !== null;
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(shop, { known, at: Date.now() });
    return known;
  }
}
