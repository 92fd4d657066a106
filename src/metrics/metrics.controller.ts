import { Controller, Get, Header, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
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
    return this.metrics.registry.metrics();
  }
}
