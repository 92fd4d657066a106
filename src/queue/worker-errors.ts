import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { idsOf, withLogContext } from '../common/logging/log-context.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RedisOutageLog } from './redis-outage.js';

/**
 * The base of every queue worker. It runs each job with its queue, job and entity ids on every log line, times it
 * for /metrics, and logs the worker's own `error` events: an EventEmitter with no listener for them (a lost
 * Redis or database connection mid-job) would throw and end the process. Workers implement `handle`.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  protected readonly workerLogger = new Logger(this.constructor.name);

  @Inject(MetricsService) private readonly metrics!: MetricsService;
  @Inject(RedisOutageLog) private readonly redisOutage!: RedisOutageLog;

  protected abstract handle(job: Job): Promise<unknown>;

  async process(job: Job): Promise<unknown> {
    const queue = job.queueName;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    return withLogContext({ queue, jobId: job.id, job: job.name, ...idsOf(job.data) }, async () => {
      try {
        const result = await this.handle(job);
        this.metrics.jobDuration.observe({ queue, job: job.name, outcome: 'completed' }, seconds());
        return result;
      } catch (error) {
        this.metrics.jobDuration.observe({ queue, job: job.name, outcome: 'failed' }, seconds());
        this.metrics.jobFailures.inc({ queue, job: job.name });
        throw error;
      }
    });
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    // Losing Redis makes every worker report each reconnect attempt: those go to the one rate-limited line.
    if (isConnectionError(error)) return this.redisOutage.report(`worker ${this.constructor.name}`, error);
    this.workerLogger.error({ err: error }, 'Queue worker error');
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

function isConnectionError(error: Error): boolean {
  const code = (error as Error & { code?: string }).code;
  return (code !== undefined && CONNECTION_ERRORS.has(code)) || /Connection is closed|connect ECONNREFUSED/.test(error.message);
}
