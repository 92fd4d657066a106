import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RedisClient } from './redis.provider.js';

type Assertion = () => Promise<unknown>;

/** Redis can come back empty (a restart without persistence, a failover): schedules are re-asserted this often anyway. */
/** How long boot waits for the schedules before it serves anyway. */
const BOOT_WAIT_MS = 5_000;
const REASSERT_EVERY_MS = 10 * 60_000;
const RETRY_AFTER_MS = 5_000;

/**
 * Keeps every BullMQ job scheduler in place. Job schedulers live only in Redis; if Redis restarts empty, polling,
 * the delivery sweeper, the reconciliation and the retention would silently stop. Worker processes therefore
 * assert all schedules at boot, again whenever the Redis connection comes back, and every 10 minutes. Asserting
 * is an upsert by scheduler id, so it never creates a second schedule nor an extra run.
 */
@Injectable()
export class ScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ScheduleKeeper');
  private readonly assertions = new Map<string, Assertion>();
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
  ) {}

  /** Call from `onModuleInit`: every registered assertion runs at bootstrap and after each Redis reconnect. */
  register(name: string, assertion: Assertion): void {
    this.assertions.set(name, assertion);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    this.redis.redis.on('ready', () => void this.assertAll('Redis connection restored'));
    this.timer = setInterval(() => void this.assertAll('periodic check'), REASSERT_EVERY_MS).unref();
    // The schedules are in place before the first request, unless Redis is away: then boot goes on (the POS API
    // works without Redis) and the run finishes, or the 'ready' listener runs it again, when Redis is back.
    const boot = this.assertAll('boot');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([boot, new Promise((resolve) => (timer = setTimeout(resolve, BOOT_WAIT_MS)))]).finally(() => clearTimeout(timer));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
  }

  /** Runs every assertion once; concurrent calls share the run in progress. */
  assertAll(reason: string): Promise<void> {
    this.running ??= this.run(reason).finally(() => (this.running = null));
    return this.running;
  }

  private async run(reason: string): Promise<void> {
    const failed: string[] = [];
    for (const [name, assertion] of this.assertions) {
      if (this.stopped) return;
      try {
        await assertion();
      } catch (error) {
        failed.push(name);
        this.logger.error({ err: error, schedule: name, reason }, `Could not assert the ${name} schedule; retrying in ${RETRY_AFTER_MS / 1000} s`);
      }
    }
    if (failed.length > 0 && !this.stopped) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.assertAll('retry'), RETRY_AFTER_MS).unref();
    } else if (reason !== 'boot' && reason !== 'periodic check') {
      this.logger.log({ reason }, `Re-asserted ${this.assertions.size} schedules`);
    }
  }
}
