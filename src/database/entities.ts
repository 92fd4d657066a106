import { ForwardingAttempt, ForwardingDestination, ForwardingMessage } from '../ecommerce/forwarding/forwarding.entities.js';
import { Notification } from '../notifications/notification.entity.js';
import { StatusAttempt, StatusRequest } from '../ecommerce/status-sync/status-request.entities.js';
import { OrderSourceEntity } from '../ecommerce/sources/order-source.entity.js';
import { ApiKey } from '../common/auth/api-key.entity.js';
import { EcommerceConnection } from '../ecommerce/connection/ecommerce-connection.entity.js';
import { OAuthState } from '../ecommerce/connection/oauth-state.entity.js';
import { SyncLog } from '../ecommerce/sync-log/sync-log.entity.js';
import { WebhookDelivery } from '../ecommerce/webhooks/webhook-delivery.entity.js';
import { CollectionMapping } from '../ecommerce/catalog-sync/collection-mapping.entity.js';
import { ProductMapping } from '../ecommerce/catalog-sync/product-mapping.entity.js';
import { InventoryOutbox } from '../ecommerce/inventory-sync/inventory-outbox.entity.js';
import { IngestedOrder } from '../ecommerce/orders/ingested-order.entity.js';
import { Business } from '../pos/businesses/business.entity.js';
import { Category } from '../pos/categories/category.entity.js';
import { Product } from '../pos/products/product.entity.js';
import { StockMovement } from '../pos/stock/stock-movement.entity.js';

/** Every entity, listed once: the app, the migrations CLI and the schema check all read this. */
export const entities = [
  ApiKey,
  Business,
  Category,
  Product,
  StockMovement,
  EcommerceConnection,
  OAuthState,
  SyncLog,
  WebhookDelivery,
  ProductMapping,
  IngestedOrder,
  InventoryOutbox,
  CollectionMapping,
  OrderSourceEntity,
  ForwardingDestination,
  ForwardingMessage,
  ForwardingAttempt,
  Notification,
  StatusRequest,
  StatusAttempt,
];
