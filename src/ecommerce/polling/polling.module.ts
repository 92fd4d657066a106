import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { POLLING_QUEUE } from './polling.constants.js';
import { PollingScheduler } from './polling-scheduler.service.js';

@Module({
  imports: [BullModule.registerQueue({ name: POLLING_QUEUE })],
  providers: [PollingScheduler],
  exports: [PollingScheduler, BullModule],
})
export class PollingModule {}
