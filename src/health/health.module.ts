import { Module } from '@nestjs/common';
import { QueueInspectionModule } from '../queue/queue-inspector.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [QueueInspectionModule],
  controllers: [HealthController],
})
export class HealthModule {}
