import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PosModule } from '../../pos/pos.module.js';
import { ProductMappingModule } from '../catalog-sync/product-mapping.module.js';
import { InboxModule } from '../webhooks/inbox.module.js';
import { IngestedOrderRepository } from './ingested-order.repository.js';
import { IngestedOrder } from './ingested-order.entity.js';
import { OrderIngestionService } from './order-ingestion.service.js';
import { OrderWebhookHandler } from './order-webhook.handler.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([IngestedOrder]), PosModule, ProductMappingModule, InboxModule],
  controllers: [OrdersController],
  providers: [OrderIngestionService, IngestedOrderRepository, OrdersService, OrderWebhookHandler],
  exports: [OrderIngestionService, OrderWebhookHandler, IngestedOrderRepository, OrdersService],
})
export class OrdersModule {}
