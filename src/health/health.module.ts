import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { HealthController, HEALTH_QUEUES } from './health.controller.js';

@Module({
  imports: [BullModule.registerQueue(...HEALTH_QUEUES.map((name) => ({ name })))],
  controllers: [HealthController],
})
export class HealthModule {}
