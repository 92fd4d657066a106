import { dateTime, integer, nullable, object, oneOfValues, string, uuid } from '../../common/openapi/schema.js';
import { DELIVERY_STATUSES } from './webhook-delivery.entity.js';

export const DELIVERY_SCHEMA = object({
  id: uuid,
  topic: string({ example: 'orders/create' }),
  webhookId: string(),
  sourceId: { ...nullable(uuid), description: 'The Shopify connection or source the delivery came for; null for an unknown shop' },
  status: oneOfValues(DELIVERY_STATUSES),
  attempts: integer,
  lastError: nullable(string()),
  receivedAt: dateTime,
  processedAt: nullable(dateTime),
});
