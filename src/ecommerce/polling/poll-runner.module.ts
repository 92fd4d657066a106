import { Module, type DynamicModule } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { PollController } from './poll.controller.js';
import { PollRunner } from './poll-runner.service.js';
import { PollingModule } from './polling.module.js';
import { PollingWorker } from './polling.worker.js';

@Module({})
export class PollRunnerModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: PollRunnerModule,
      imports: [PollingModule, ConnectionModule, OrdersModule, SourcesModule],
      controllers: [PollController],
      providers: [PollRunner, ...(options.workers ? [PollingWorker] : [])],
      exports: [PollRunner],
    };
  }
}
