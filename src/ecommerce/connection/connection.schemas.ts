import { array, boolean, dateTime, nullable, object, oneOfValues, string, uuid } from '../../common/openapi/schema.js';
import { CONNECTION_STATUSES } from './ecommerce-connection.entity.js';

export const CONNECTION_SCHEMA = object({
  businessId: uuid,
  provider: oneOfValues(['shopify']),
  shop: string({ example: 'corner-coffee.myshopify.com' }),
  status: oneOfValues(CONNECTION_STATUSES),
  scopes: array(string()),
  lastSyncedAt: nullable(dateTime),
  connectedAt: nullable(dateTime),
  webhooksRegistered: boolean,
  locationId: nullable(string({ description: 'The shop location POS stock is pushed to', example: 'gid://shopify/Location/1' })),
  lastError: nullable(string()),
});

export const CONNECT_STARTED_SCHEMA = object({ authorizeUrl: string({ format: 'uri', description: "Open it in the merchant's browser" }) });
export const CONNECTED_SCHEMA = object({ businessId: uuid, shop: string(), status: oneOfValues(['active']) });
