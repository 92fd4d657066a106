import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ClaimPump } from '../../common/outbox/claim-pump.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ForwardingAlerts } from './forwarding-alerts.js';
import { ForwardingSender } from './forwarding-sender.js';
import { DUE_CHANNEL, ForwardingRepository } from './forwarding.repository.js';

/**
 * Runs in worker processes: sends what is due, woken by the ingestion's NOTIFY and a 1 s tick (see ClaimPump).
 * Each send is claimed in the database first, so any number of dispatchers send each message once at a time.
 */
@Injectable()
export class ForwardingDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly pump: ClaimPump;

  constructor(@Inject(APP_CONFIG) config: AppConfig, messages: ForwardingRepository, sender: ForwardingSender, alerts: ForwardingAlerts) {
    this.pump = new ClaimPump({
      name: 'ForwardingDispatcher',
      databaseUrl: config.databaseUrl,
      channel: DUE_CHANNEL,
      concurrency: 16,
      batch: 64,
      tickMs: 1_000,
      due: (limit) => messages.due(limit),
      run: (id) => sender.send(id),
      beforePass: () => alerts.check(),
    });
  }

  onModuleInit(): void {
    this.pump.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.pump.stop();
  }
}
