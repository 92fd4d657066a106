import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const REPORT_EVERY_MS = 10_000;

/** REDIS_URL without its password, for log lines. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * While Redis is away every BullMQ queue and worker reports each reconnect attempt as an error (and a queue
 * without an error listener prints it with its stack). This turns them into one line every 10 s that says what
 * to fix, and attaches itself to every queue the application registered.
 */
@Injectable()
export class RedisOutageLog implements OnModuleInit {
  private readonly logger = new Logger('Redis');
  private lastReportAt = 0;
  private suppressed = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue && instance.listenerCount('error') === 0) instance.on('error', (error: Error) => this.report(`queue ${instance.name}`, error));
    }
  }

  report(source: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastReportAt < REPORT_EVERY_MS) {
      this.suppressed++;
      return;
    }
    this.lastReportAt = now;
    const message = error instanceof Error ? error.message : String(error);
    const more = this.suppressed > 0 ? ` (${this.suppressed} more errors since the last report)` : '';
    this.suppressed = 0;
    this.logger.warn({ source }, `Cannot reach Redis at ${redactedRedisUrl(this.config.redisUrl)} (${message}): retrying${more}`);
  }
}
