import { array, dateTime, freeForm, integer, nullable, object, oneOfValues, string, uuid } from '../../common/openapi/schema.js';
import { STATUS_ACTIONS } from './status-rules.js';

const STATES = ['pending', 'done', 'failed'];

export const REQUEST_ACCEPTED_SCHEMA = object({
  requestId: uuid,
  status: oneOfValues(STATES),
  duplicate: { type: 'boolean', description: 'This repeats a request already stored (same Idempotency-Key, or the same body within a minute): nothing new was stored' },
  orderUrl: string({ description: "The order's timeline, where the request's state, attempts and the shop's answer show" }),
});

export const ORDER_STATUS_REQUESTS_SCHEMA = array(
  object({
    id: uuid,
    action: oneOfValues(STATUS_ACTIONS),
    status: oneOfValues(STATES),
    body: { ...freeForm, description: 'What was asked (fulfilment lines resolved to the order lines)' },
    requestedBy: string({ description: 'role:id of the key that asked' }),
    idempotencyKey: nullable(string()),
    attempts: integer,
    lastError: nullable(string({ description: 'Why the last attempt failed, in plain words' })),
    result: nullable({ ...freeForm, description: "What the shop answered when it was done (fulfillments with tracking, payment state, the cancellation's job)" }),
    createdAt: dateTime,
    finishedAt: nullable(dateTime),
    nextAttemptAt: nullable(dateTime),
    history: array(
      object({
        startedAt: dateTime,
        durationMs: integer,
        outcome: string({ description: 'done, retry, waiting (a shop job runs) or failed' }),
        answer: { ...freeForm, description: "The shop's answer in short, userErrors included" },
        error: nullable(string()),
      }),
    ),
  }),
);
