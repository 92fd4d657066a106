import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ClaimPump } from '../../common/outbox/claim-pump.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { StatusRequestRepository, STATUS_DUE_CHANNEL } from './status-request.repository.js';
import { StatusSender } from './status-sender.js';

/** Runs in worker processes: carries out status requests as they are stored and as their retries come due. */
@Injectable()
export class StatusDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly pump: ClaimPump;

  constructor(@Inject(APP_CONFIG) config: AppConfig, requests: StatusRequestRepository, sender: StatusSender) {
    this.pump = new ClaimPump({
      name: 'StatusDispatcher',
      databaseUrl: config.databaseUrl,
      channel: STATUS_DUE_CHANNEL,
      concurrency: 8,
      batch: 32,
      // Often enough to follow a cancellation job closely; each tick is one indexed query.
      tickMs: 250,
      due: (limit) => requests.due(limit),
      run: (id) => sender.run(id),
    });
  }

  onModuleInit(): void {
    this.pump.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.pump.stop();
  }
}
