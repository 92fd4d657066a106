import { DomainError } from '../common/errors/domain-error.js';

import type { Queue } from 'bullmq';
import { withTimeout } from '../common/async/with-timeout.js';

/** How long an HTTP action may wait on Redis before it answers 503 instead of hanging until Redis returns. */
const REDIS_WAIT_MS = 1500;

const unavailable = (action: string) =>
  new DomainError('unavailable', `Redis (REDIS_URL) is unreachable, so ${action} was not queued and nothing was changed; try again once Redis is back`);

/**
 * BullMQ queues commands while Redis is away, so an action would wait minutes for it. An action checks first
 * (before it writes anything) and answers 503 naming Redis within a couple of seconds.
 */
export async function requireRedis(queue: Queue, action: string): Promise<void> {
  let status: string;
  try {
    status = (await withTimeout(queue.getBackend().client, REDIS_WAIT_MS)).status;
  } catch {
    status = 'unreachable';
  }
  if (status !== 'ready') throw unavailable(action);
}

/** requireRedis, then the enqueue itself, bounded by the same wait. */
export async function enqueueOrUnavailable<T>(queue: Queue, action: string, add: () => Promise<T>): Promise<T> {
  await requireRedis(queue, action);
  try {
    return await withTimeout(add(), REDIS_WAIT_MS);
  } catch (error) {
    if (error instanceof Error && /no answer within/.test(error.message)) throw unavailable(action);
    throw error;
  }
}
