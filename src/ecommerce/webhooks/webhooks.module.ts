import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectionModule } from '../connection/connection.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { PollingModule } from '../polling/polling.module.js';
import { ProductMappingModule } from '../catalog-sync/product-mapping.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { SourceWebhookReceiver } from './source-webhook.receiver.js';
import { ComplianceService } from './compliance.service.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesService } from './deliveries.service.js';
import { DeliveryBatcher } from './delivery-batcher.service.js';
import { DeliveryHandoff } from './delivery-handoff.service.js';
import { DeliveryProcessor } from './delivery-processor.service.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import { DeliverySweeper } from './delivery-sweeper.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { InboxModule } from './inbox.module.js';
import { WebhookInbox } from './webhook-inbox.service.js';
import { WEBHOOKS_QUEUE } from './webhooks.constants.js';
import { WebhooksWorker } from './webhooks.worker.js';

@Module({})
export class WebhooksModule {
  /** `workers: false` (ROLE=api) keeps the endpoint and the enqueueing, without consuming the queue. */
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [TypeOrmModule.forFeature([WebhookDelivery]), BullModule.registerQueue({ name: WEBHOOKS_QUEUE }), ConnectionModule, PollingModule, OrdersModule, InboxModule, SourcesModule, ProductMappingModule],
      controllers: [DeliveriesController],
      providers: [DeliveriesService, WebhookInbox, DeliveryQueue, DeliveryProcessor, DeliveryBatcher, DeliverySweeper, ComplianceService, SourceWebhookReceiver, ...(options.workers ? [WebhooksWorker, DeliveryHandoff] : [])],
      exports: [DeliveryProcessor, DeliveryQueue, WebhookInbox, SourceWebhookReceiver],
    };
  }
}
