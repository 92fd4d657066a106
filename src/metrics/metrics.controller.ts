import { Controller, Get, Header, Inject, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AggregatorRegistry } from 'prom-client';
import { Public } from '../common/auth/auth.decorators.js';
import { WORKER_THREAD } from '../runtime/runtime.module.js';
import type { WorkerThreadHandle } from '../runtime/worker-supervisor.js';
import { QueueInspector } from '../queue/queue-inspector.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueInspector,
    @Inject(WORKER_THREAD) private readonly thread: WorkerThreadHandle | null,
  ) {}

  /** Prometheus text format. Queue gauges are read from Redis now; a Redis outage leaves them at their last value. */
  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    try {
      for (const queue of await this.queues.states()) {
        this.metrics.queueWorkers.set({ queue: queue.name }, queue.workers);
        for (const [state, count] of Object.entries(queue.counts)) this.metrics.queueJobs.set({ queue: queue.name, state }, count);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not read queue sizes for /metrics');
    }
    if (!this.thread) return this.metrics.registry.metrics();
    const own = await this.metrics.registry.getMetricsAsJSON();
    try {
      return await AggregatorRegistry.aggregate([own, await this.thread.metrics()]).metrics();
    } catch (error) {
      // A restarting worker thread must not blank the scrape: the api side's figures still count.
      this.logger.warn({ err: error }, 'The worker thread gave no metrics for /metrics');
      return AggregatorRegistry.aggregate([own]).metrics();
    }
  }
}
