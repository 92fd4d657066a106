import { ProductMappingModule } from '../catalog-sync/product-mapping.module.js';
import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PosModule } from '../../pos/pos.module.js';
import { ConnectionModule } from '../connection/connection.module.js';
import { InventoryOutbox } from './inventory-outbox.entity.js';
import { InventoryOutboxHook } from './inventory-outbox.hook.js';
import { InventoryPushService } from './inventory-push.service.js';
import { InventoryReconciliationService } from './inventory-reconciliation.service.js';
import { INVENTORY_QUEUE } from './inventory-sync.constants.js';
import { InventoryWorker } from './inventory.worker.js';
import { StockChangedListener } from './stock-changed.listener.js';

@Module({})
export class InventorySyncModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: InventorySyncModule,
      imports: [TypeOrmModule.forFeature([InventoryOutbox]), BullModule.registerQueue({ name: INVENTORY_QUEUE }), PosModule, ConnectionModule, ProductMappingModule],
      providers: [InventoryOutboxHook, StockChangedListener, InventoryPushService, InventoryReconciliationService, ...(options.workers ? [InventoryWorker] : [])],
      exports: [InventoryPushService, InventoryReconciliationService],
    };
  }
}
