import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectionModule } from '../connection/connection.module.js';
import { CatalogSyncController } from './catalog-sync.controller.js';
import { CATALOG_QUEUE } from './catalog-sync.constants.js';
import { CatalogWorker } from './catalog.worker.js';
import { ProductMapping } from './product-mapping.entity.js';
import { CollectionMapping } from './collection-mapping.entity.js';
import { CollectionPushService } from './collection-push.service.js';
import { ProductPushService } from './product-push.service.js';

@Module({})
export class CatalogSyncModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: CatalogSyncModule,
      imports: [TypeOrmModule.forFeature([ProductMapping, CollectionMapping]), BullModule.registerQueue({ name: CATALOG_QUEUE }), ConnectionModule],
      controllers: [CatalogSyncController],
      providers: [ProductPushService, CollectionPushService, ...(options.workers ? [CatalogWorker] : [])],
    };
  }
}
