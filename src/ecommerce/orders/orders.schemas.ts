import { array, boolean, dateTime, integer, nullable, object, oneOfValues, page, string, uuid } from '../../common/openapi/schema.js';
import { ORDER_FORWARDING_SCHEMA } from '../forwarding/forwarding.schemas.js';
import { ORDER_STATUS_REQUESTS_SCHEMA } from '../status-sync/status-sync.schemas.js';
import { LOG_LINE_SCHEMA } from '../sync-log/sync-log.schemas.js';
import { DELIVERY_SCHEMA } from '../webhooks/deliveries.schemas.js';
import { ORDER_SOURCES, ORDER_STATUSES } from './ingested-order.entity.js';

const ORDER_FIELDS = {
  id: uuid,
  externalOrderId: string({ description: "The source's order id" }),
  orderNumber: string({ example: '#1042' }),
  source: oneOfValues(ORDER_SOURCES, { description: 'Which channel brought the order first' }),
  sourceId: { ...uuid, description: 'The Shopify connection or the source (GET /ecommerce/sources) the order came from' },
  provider: oneOfValues(['shopify', 'woocommerce', 'signed_webhook']),
  status: oneOfValues(ORDER_STATUSES),
  customerEmail: nullable(string({ description: "The buyer's e-mail, lowercased; null if the source did not tell it or it was redacted" })),
  ingestedAt: dateTime,
};

const LINE = object({ sku: nullable(string()), productId: nullable(uuid), quantity: integer, currentQuantity: integer });

export const ORDER_PAGE_SCHEMA = page(object({ ...ORDER_FIELDS, lines: array(LINE) }));

export const ORDER_DETAIL_SCHEMA = object({
  ...ORDER_FIELDS,
  businessId: uuid,
  cancelledAt: nullable(dateTime),
  updatedAt: dateTime,
  financialStatus: nullable(string({ description: "The payment state as the shop last told it (Shopify's financial status, lowercased)" })),
  fulfillmentStatus: nullable(oneOfValues(['unfulfilled', 'partial', 'fulfilled'], { description: 'As the shop last told it' })),
  lines: array(
    object({
      sku: nullable(string()),
      variantId: nullable(string()),
      quantity: integer,
      productId: nullable(uuid),
      product: nullable(object({ id: uuid, sku: string(), name: string() })),
      currentQuantity: integer,
      unfulfilledQuantity: nullable({ ...integer, description: 'Units not shipped yet, as the shop last told it' }),
      held: { ...integer, description: 'Units this line keeps out of POS stock now' },
    }),
  ),
  refunds: array(
    object({
      externalId: string(),
      inVersion: boolean,
      lines: array(object({ externalLineId: string(), quantity: integer, restock: boolean })),
    }),
  ),
  stockMovements: array(object({ productId: uuid, delta: integer, reason: string(), reference: nullable(string()), stockAfter: integer, createdAt: dateTime })),
  deliveries: array(DELIVERY_SCHEMA),
  polls: array(LOG_LINE_SCHEMA),
  logs: array(LOG_LINE_SCHEMA),
  forwarding: { ...ORDER_FORWARDING_SCHEMA, description: 'Per ERP destination: status, ERP order id and message, and every attempt' },
  statusRequests: { ...ORDER_STATUS_REQUESTS_SCHEMA, description: "Fulfil, mark-paid and cancel requests sent back to the shop: state, attempts and the shop's answers" },
});
