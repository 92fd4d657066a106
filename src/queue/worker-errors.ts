import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/**
 * A BullMQ worker emits `error` for its own trouble (a lost Redis or database connection mid-job); an EventEmitter
 * with no listener for it would throw and end the process. Workers extend this to log it instead.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  protected readonly workerLogger = new Logger(this.constructor.name);

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.workerLogger.error({ err: error }, 'Queue worker error');
  }
}
