import { Module } from '@nestjs/common';
import { PosModule } from '../../pos/pos.module.js';
import { QueueInspectionModule } from '../../queue/queue-inspector.js';
import { ConnectionModule } from '../connection/connection.module.js';
import { PollingModule } from '../polling/polling.module.js';
import { InboxModule } from '../webhooks/inbox.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { ForwardingStoreModule } from '../forwarding/forwarding-store.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { StatusSyncStoreModule } from '../status-sync/status-sync-store.module.js';
import { ActivityController } from './activity.controller.js';
import { BusinessesOverviewController } from './businesses-overview.controller.js';
import { JobsController } from './jobs.controller.js';
import { StatusController } from './status.controller.js';
import { StatusService } from './status.service.js';

@Module({
  imports: [PosModule, ConnectionModule, PollingModule, QueueInspectionModule, InboxModule, OrdersModule, SourcesModule, ForwardingStoreModule, StatusSyncStoreModule],
  controllers: [StatusController, JobsController, BusinessesOverviewController, ActivityController],
  providers: [StatusService],
})
export class StatusModule {}
