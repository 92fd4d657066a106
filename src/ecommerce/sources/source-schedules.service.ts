import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ScheduleKeeper } from '../../queue/schedule-keeper.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { SourceRepository } from './source.repository.js';

/** The polling schedule of every active WooCommerce source, kept in place as ConnectionSchedules keeps Shopify's. */
@Injectable()
export class SourceSchedules implements OnModuleInit {
  constructor(
    private readonly sources: SourceRepository,
    private readonly polling: PollingScheduler,
    private readonly keeper: ScheduleKeeper,
  ) {}

  onModuleInit(): void {
    this.keeper.register('source-polling', () => this.reassert());
  }

  async reassert(): Promise<void> {
    for (const source of await this.sources.active('woocommerce')) await this.polling.schedule(source.id);
  }
}
