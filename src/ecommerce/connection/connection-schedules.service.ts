import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { ConnectionService } from './connection.service.js';

/**
 * At boot, workers re-assert the polling schedule of every active connection, so that a Redis that lost its
 * data (or a schedule removed by hand) heals itself. Upserting by id makes this safe on any number of replicas.
 */
@Injectable()
export class ConnectionSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('ConnectionSchedules');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: ConnectionService,
    private readonly polling: PollingScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    try {
      const active = await this.connections.activeConnections();
      for (const connection of active) await this.polling.schedule(connection.id);
      if (active.length > 0) this.logger.log(`Re-asserted polling for ${active.length} active connections`);
    } catch (error) {
      // Boot must not fail because Redis is briefly away; the next boot or connect repairs the schedule.
      this.logger.error({ err: error }, 'Could not re-assert polling schedules at boot');
    }
  }
}
