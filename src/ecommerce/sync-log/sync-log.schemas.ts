import { dateTime, freeForm, integer, nullable, object, oneOfValues, string, uuid } from '../../common/openapi/schema.js';
import { SYNC_DIRECTIONS, SYNC_STATUSES, SYNC_TYPES } from './sync-log.entity.js';

export const SYNC_LOG_SCHEMA = object({
  id: uuid,
  businessId: uuid,
  type: oneOfValues(SYNC_TYPES),
  direction: oneOfValues(SYNC_DIRECTIONS),
  status: oneOfValues(SYNC_STATUSES),
  processed: integer,
  failed: integer,
  message: string({ description: 'What happened, in words support can act on' }),
  details: { ...freeForm, description: 'Counts, ids (jobId, deliveryId, pollRunId, externalOrderId) and failures, by type' },
  startedAt: dateTime,
  finishedAt: nullable(dateTime),
});

/** A sync log entry as timelines and status show it. */
export const LOG_LINE_SCHEMA = object({ id: uuid, status: oneOfValues(SYNC_STATUSES), message: string(), startedAt: dateTime });
export const LAST_RUN_SCHEMA = object({ id: uuid, status: oneOfValues(SYNC_STATUSES), message: string(), startedAt: dateTime, finishedAt: nullable(dateTime) });
