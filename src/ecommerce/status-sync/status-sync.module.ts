import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectionModule } from '../connection/connection.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { OrdersService } from '../orders/orders.service.js';
import { ShopifyStatusTarget } from './shopify-status.target.js';
import { SourcesModule } from '../sources/sources.module.js';
import { WooCommerceStatusTarget } from './woocommerce-status.target.js';
import { StatusActionsController } from './status-actions.controller.js';
import { StatusActionsService } from './status-actions.service.js';
import { StatusDispatcher } from './status-dispatcher.js';
import { StatusAttempt, StatusRequest } from './status-request.entities.js';
import { StatusRequestRepository } from './status-request.repository.js';
import { StatusSyncStoreModule } from './status-sync-store.module.js';
import { StatusSender } from './status-sender.js';
import { STATUS_TARGETS } from './status-target.js';

/** The order's fate back to its shop. Requests are taken in every process; the dispatcher runs where workers run. */
@Module({})
export class StatusSyncModule implements OnModuleInit {
  constructor(
    private readonly orders: OrdersService,
    private readonly requests: StatusRequestRepository,
  ) {}

  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: StatusSyncModule,
      imports: [TypeOrmModule.forFeature([StatusRequest, StatusAttempt]), OrdersModule, ConnectionModule, SourcesModule, StatusSyncStoreModule],
      controllers: [StatusActionsController],
      providers: [
        StatusActionsService,
        StatusSender,
        ShopifyStatusTarget,
        WooCommerceStatusTarget,
        { provide: STATUS_TARGETS, useFactory: (...targets: unknown[]) => targets, inject: [ShopifyStatusTarget, WooCommerceStatusTarget] },
        ...(options.workers ? [StatusDispatcher] : []),
      ],
    };
  }

  onModuleInit(): void {
    this.orders.addDetailSection('statusRequests', (orderId) => this.requests.forOrder(orderId));
  }
}
