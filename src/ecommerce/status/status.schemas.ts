import { array, boolean, dateTime, freeForm, integer, nullable, object, oneOfValues, page, string, uuid } from '../../common/openapi/schema.js';
import { CONNECTION_SCHEMA } from '../connection/connection.schemas.js';
import { LAST_RUN_SCHEMA, SYNC_LOG_SCHEMA } from '../sync-log/sync-log.schemas.js';
import { SYNC_TYPES } from '../sync-log/sync-log.entity.js';

export const FLAG_SCHEMA = object({
  item: string({ description: 'What the flag is about: connection, schedule, queue:<name>, lastSyncedAt, sync:<type>, deliveries, outbox, products, webhooks, redis' }),
  reason: string({ description: 'What is wrong and what to do, in plain words' }),
});

const QUEUE_SCHEMA = object({
  name: string(),
  workers: { ...integer, description: 'Workers connected to the queue from any process' },
  counts: object({ waiting: integer, active: integer, delayed: integer, failed: integer }),
});

export const STATUS_SCHEMA = object({
  businessId: uuid,
  checkedAt: dateTime,
  healthy: boolean,
  flags: array(FLAG_SCHEMA),
  connection: nullable(CONNECTION_SCHEMA),
  schedule: nullable(object({ exists: boolean, nextRunAt: nullable(dateTime), everyMinutes: { type: 'number' } })),
  lastSyncedAt: nullable(dateTime),
  lagSeconds: nullable(integer),
  queues: nullable({ ...array(QUEUE_SCHEMA), description: 'null while Redis is unreachable' }),
  lastRuns: object(Object.fromEntries(SYNC_TYPES.map((type) => [type, nullable(LAST_RUN_SCHEMA)]))),
  deliveries24h: { type: 'object', additionalProperties: integer, description: 'Webhook deliveries of the last 24 h by status' },
  stuckDeliveries: integer,
  outbox: object({ pending: integer, oldestPendingAt: nullable(dateTime) }),
  unmatchedSkus24h: array(object({ sku: string(), orders: integer })),
  signatureFailuresLastHour: integer,
  sources: array(
    object({ id: uuid, provider: string(), name: string(), status: string(), lastError: nullable(string()), lastPollAt: nullable(dateTime), lastDeliveryAt: nullable(dateTime), createdAt: nullable(dateTime) }),
  ),
  statusSync: object({
    pending: { ...integer, description: 'Fulfil, mark-paid and cancel requests not carried out yet' },
    failed: { ...integer, description: 'Requests that failed in the last 24 h' },
    oldestPendingAt: nullable(dateTime),
    lastFailure: nullable(object({ id: uuid, orderId: uuid, action: string(), error: nullable(string()) })),
    missingScopes: { ...array(string()), description: 'Scopes the Shopify connection lacks for them: reconnect the shop to grant them' },
  }),
});

export const BUSINESSES_PAGE_SCHEMA = page(
  object({
    id: uuid,
    name: string(),
    sources: array(object({ kind: oneOfValues(['shopify', 'woocommerce', 'signed_webhook']), shop: string({ description: "The shop domain, or the source's name" }), status: string() })),
    health: oneOfValues(['green', 'amber', 'red']),
    flags: array(FLAG_SCHEMA),
  }),
);

export const JOB_SCHEMA = object({
  id: string(),
  queue: string(),
  name: string(),
  state: oneOfValues(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children', 'unknown']),
  progress: { description: 'A number, or counts by kind', oneOf: [{ type: 'number' }, freeForm] },
  attempts: integer,
  failedReason: nullable(string()),
  result: { ...nullable(freeForm), description: 'What the job returned (counts), once finished' },
  createdAt: dateTime,
  startedAt: nullable(dateTime),
  finishedAt: nullable(dateTime),
  logs: array(SYNC_LOG_SCHEMA),
});
