import { dateTime, nullable, object, oneOfValues, string, uuid } from '../../common/openapi/schema.js';

const FIELDS = {
  id: uuid,
  businessId: uuid,
  provider: oneOfValues(['shopify', 'woocommerce', 'signed_webhook']),
  name: string(),
  status: string({ example: 'active' }),
  webhookUrl: nullable(string({ description: 'Where the source sends its webhooks' })),
  lastDeliveryAt: nullable(dateTime),
  lastPollAt: nullable(dateTime),
  lastError: nullable(string()),
  createdAt: nullable(dateTime),
};

export const SOURCE_SCHEMA = object(FIELDS);
export const CREATED_SIGNED_SOURCE_SCHEMA = object({ ...FIELDS, secret: string({ description: 'The HMAC key the sender signs with; shown only now' }) });
