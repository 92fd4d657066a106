import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { InboxModule } from '../webhooks/inbox.module.js';
import { HOUSEKEEPING_QUEUE } from './housekeeping.constants.js';
import { HousekeepingWorker } from './housekeeping.worker.js';
import { RetentionService } from './retention.service.js';

@Module({})
export class HousekeepingModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: HousekeepingModule,
      imports: [BullModule.registerQueue({ name: HOUSEKEEPING_QUEUE }), InboxModule],
      providers: [RetentionService, ...(options.workers ? [HousekeepingWorker] : [])],
      exports: [RetentionService],
    };
  }
}
