import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CryptoModule } from '../../common/crypto/crypto.module.js';
import { PosModule } from '../../pos/pos.module.js';
import { ProductMappingModule } from '../catalog-sync/product-mapping.module.js';
import { ConnectionModule } from '../connection/connection.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { PollingModule } from '../polling/polling.module.js';
import { SignedWebhookKind } from '../signed-webhook/signed-webhook.kind.js';
import { WooCommerceClient } from '../woocommerce/woocommerce.client.js';
import { WooCommerceKind } from '../woocommerce/woocommerce.kind.js';
import { OrderSourceEntity } from './order-source.entity.js';
import { SOURCE_KINDS } from './source-kind.js';
import { SourceOrderHandler } from './source-order.handler.js';
import { SourceSchedules } from './source-schedules.service.js';
import { SourceRepository } from './source.repository.js';
import { SourcesController } from './sources.controller.js';
import { SourcesService } from './sources.service.js';

/** Order sources besides Shopify; each kind is a sibling folder (woocommerce/, signed-webhook/) listed here. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderSourceEntity]), CryptoModule, PosModule, ConnectionModule, PollingModule, OrdersModule, ProductMappingModule],
  controllers: [SourcesController],
  providers: [
    SourceRepository,
    SourcesService,
    SourceOrderHandler,
    SourceSchedules,
    WooCommerceClient,
    WooCommerceKind,
    SignedWebhookKind,
    { provide: SOURCE_KINDS, inject: [WooCommerceKind, SignedWebhookKind], useFactory: (...kinds: unknown[]) => kinds },
  ],
  exports: [SourceRepository, SourceOrderHandler, WooCommerceKind, WooCommerceClient],
})
export class SourcesModule {}
