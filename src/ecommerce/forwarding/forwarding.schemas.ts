import { array, boolean, dateTime, freeForm, integer, nullable, object, oneOfValues, page, string, uuid } from '../../common/openapi/schema.js';
import { FORWARDING_EVENTS } from './forwarding.entities.js';

const DESTINATION_FIELDS = {
  id: uuid,
  businessId: uuid,
  name: string(),
  url: string({ format: 'uri' }),
  authHeaderName: nullable(string({ description: "The auth header's name; its value is never shown" })),
  events: array(oneOfValues(FORWARDING_EVENTS)),
  erpOrderIdPath: nullable(string()),
  messagePath: nullable(string()),
  notifyEmails: array(string({ format: 'email' })),
  timeoutSeconds: integer,
  enabled: boolean,
  disabledReason: nullable(string({ description: 'Why the service disabled it (a 410 from the ERP)' })),
  createdAt: dateTime,
};

export const DESTINATION_SCHEMA = object(DESTINATION_FIELDS);
export const CREATED_DESTINATION_SCHEMA = object({ ...DESTINATION_FIELDS, signingSecret: string({ description: 'whsec_…: verify our webhook-signature with it; shown only now' }) });
export const ROTATED_SECRET_SCHEMA = object({ id: uuid, signingSecret: string() });

const ATTEMPT_SCHEMA = object({
  at: dateTime,
  trigger: oneOfValues(['scheduled', 'manual']),
  statusCode: nullable(integer),
  durationMs: integer,
  error: nullable(string()),
  responseExcerpt: nullable(string({ description: 'Up to 4 KB of the answer' })),
  requestHeaders: { ...freeForm, description: 'As sent, with the auth header and the signature redacted' },
  outcome: string({ description: 'in_progress, retry or on_hold' }),
});

const MESSAGE_FIELDS = {
  id: uuid,
  destinationId: uuid,
  destinationName: string(),
  orderId: uuid,
  orderNumber: nullable(string()),
  event: oneOfValues(FORWARDING_EVENTS),
  status: oneOfValues(['pending', 'in_progress', 'on_hold']),
  erpOrderId: nullable(string()),
  erpMessage: nullable(string()),
  lastError: nullable(string()),
  sends: integer,
  nextAttemptAt: nullable(dateTime),
  createdAt: dateTime,
  deliveredAt: nullable(dateTime),
};

export const MESSAGE_PAGE_SCHEMA = page(object(MESSAGE_FIELDS));
export const ORDER_FORWARDING_SCHEMA = array(object({ ...MESSAGE_FIELDS, attempts: array(ATTEMPT_SCHEMA) }));
export const REPROCESSED_SCHEMA = object({ reprocessed: integer, ids: array(uuid) });
