import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ScheduleKeeper } from '../../queue/schedule-keeper.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { ConnectionService } from './connection.service.js';

/**
 * Workers keep the polling schedule of every active connection in place (at boot, after Redis comes back, and
 * periodically; see ScheduleKeeper), so that a Redis that lost its data, or a schedule removed by hand, heals
 * itself. Upserting by id makes this safe on any number of replicas.
 */
@Injectable()
export class ConnectionSchedules implements OnModuleInit {
  private readonly logger = new Logger('ConnectionSchedules');

  constructor(
    private readonly connections: ConnectionService,
    private readonly polling: PollingScheduler,
    private readonly keeper: ScheduleKeeper,
  ) {}

  onModuleInit(): void {
    this.keeper.register('polling', () => this.reassert());
  }

  async reassert(): Promise<void> {
    const active = await this.connections.activeConnections();
    for (const connection of active) await this.polling.schedule(connection.id);
    if (active.length > 0) this.logger.log(`Asserted polling for ${active.length} active connections`);
    await this.connections.subscribeNewTopics(active);
  }
}
