import { Global, Module } from '@nestjs/common';
import { QueueInspectionModule } from '../queue/queue-inspector.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  imports: [QueueInspectionModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
