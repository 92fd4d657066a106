import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { CatalogSyncModule } from './catalog-sync/catalog-sync.module.js';
import { ConnectionModule } from './connection/connection.module.js';
import { ForwardingModule } from './forwarding/forwarding.module.js';
import { HousekeepingModule } from './housekeeping/housekeeping.module.js';
import { InventorySyncModule } from './inventory-sync/inventory-sync.module.js';
import { PollRunnerModule } from './polling/poll-runner.module.js';
import { PollingModule } from './polling/polling.module.js';
import { ShopifyModule } from './shopify/shopify.module.js';
import { StatusModule } from './status/status.module.js';
import { StatusSyncModule } from './status-sync/status-sync.module.js';
import { SyncLogModule } from './sync-log/sync-log.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class EcommerceModule {
  static register(config: Pick<AppConfig, 'role'>): DynamicModule {
    const workers = config.role !== 'api';
    return {
      module: EcommerceModule,
      imports: [
        SyncLogModule,
        ShopifyModule,
        PollingModule,
        ConnectionModule,
        WebhooksModule.register({ workers }),
        PollRunnerModule.register({ workers }),
        CatalogSyncModule.register({ workers }),
        InventorySyncModule.register({ workers }),
        HousekeepingModule.register({ workers }),
        ForwardingModule.register({ workers }),
        StatusSyncModule.register({ workers }),
        StatusModule,
      ],
    };
  }
}
