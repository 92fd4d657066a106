import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CryptoModule } from '../../common/crypto/crypto.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { PosModule } from '../../pos/pos.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { DestinationsService } from './destinations.service.js';
import { ForwardingAlerts } from './forwarding-alerts.js';
import { ForwardingDispatcher } from './forwarding-dispatcher.js';
import { ForwardingSender } from './forwarding-sender.js';
import { ForwardingController } from './forwarding.controller.js';
import { ForwardingAttempt, ForwardingDestination, ForwardingMessage } from './forwarding.entities.js';
import { ForwardingHook } from './forwarding.hook.js';
import { ForwardingStoreModule } from './forwarding-store.module.js';

/**
 * Orders forwarded to the merchant's ERP endpoints. The hook writes messages in every process that ingests;
 * the dispatcher sends them only where workers run (ROLE=worker or all).
 */
@Module({})
export class ForwardingModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: ForwardingModule,
      imports: [TypeOrmModule.forFeature([ForwardingDestination, ForwardingMessage, ForwardingAttempt]), CryptoModule, PosModule, OrdersModule, NotificationsModule, ForwardingStoreModule],
      controllers: [ForwardingController],
      providers: [DestinationsService, ForwardingHook, ForwardingSender, ForwardingAlerts, ...(options.workers ? [ForwardingDispatcher] : [])],
      exports: [ForwardingAlerts],
    };
  }
}
