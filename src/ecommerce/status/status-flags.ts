import type { ConnectionView } from '../connection/connection.service.js';
import type { QueueState } from '../../queue/queue-inspector.js';
import type { SyncStatus, SyncType } from '../sync-log/sync-log.entity.js';

export interface StatusFlag {
  /** What the flag is about: connection, schedule, queue:<name>, lastSyncedAt, sync:<type>, deliveries, outbox, products, webhooks, redis. */
  item: string;
  reason: string;
}

export interface LastRun {
  id: string;
  status: SyncStatus;
  message: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface StatusFacts {
  businessId: string;
  now: Date;
  pollIntervalMinutes: number;
  connection: ConnectionView | null;
  schedule: { exists: boolean; nextRunAt: Date | null } | null;
  queues: QueueState[] | null;
  redisError: string | null;
  lastRuns: Partial<Record<SyncType, LastRun>>;
  deliveries24h: Record<string, number>;
  stuckDeliveries: number;
  outbox: { pending: number; oldestPendingAt: Date | null };
  /** SKUs of order lines of the last 24 h that matched no POS product (their stock was not moved). */
  unmatchedSkus24h: Array<{ sku: string; orders: number }>;
  /** Webhooks of the connected shop refused in the last hour because their signature did not match. */
  signatureFailuresLastHour: number;
  /** The business's other order sources (WooCommerce stores, signed-webhook senders). */
  sources: Array<{ id: string; provider: string; name: string; status: string; lastError: string | null; lastPollAt: Date | null; createdAt: Date | null }>;
  /** Orders not in an enabled ERP destination 30 minutes after they were ingested, per destination. */
  forwardingOverdue: Array<{ destinationId: string; destinationName: string; count: number }>;
  /** Status requests back to the shop (fulfil, mark paid, cancel), and the scopes the Shopify connection lacks for them. */
  statusSync: {
    pending: number;
    failed: number;
    oldestPendingAt: Date | null;
    lastFailure: { id: string; orderId: string; action: string; error: string | null } | null;
    missingScopes: string[];
  };
}

/** A stored delivery or a stock change still waiting after this long means the workers are not keeping up. */
export const STUCK_AFTER_MS = 5 * 60_000;
const QUEUE_BACKLOG = 10_000;
const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Turns the facts about one business's sync into plain-words flags for the support person. Pure, so the rules
 * are unit-tested one by one.
 */
export function statusFlags(facts: StatusFacts): StatusFlag[] {
  const flags: StatusFlag[] = [];
  const { connection, now } = facts;
  const intervalMs = facts.pollIntervalMinutes * 60_000;

  const activeSources = facts.sources.filter((s) => s.status === 'active');
  if (!connection && activeSources.length === 0) {
    flags.push({ item: 'connection', reason: 'This business is not connected to a shop or any other order source: no orders come in. Connect it with POST /ecommerce/connect or add a source (POST /ecommerce/sources/...).' });
  } else if (!connection) {
    // Orders come from its other sources; there is no Shopify connection to judge.
  } else if (connection.status !== 'active') {
    flags.push({
      item: 'connection',
      reason: `The connection to ${connection.shop} is ${connection.status}: orders are not received and stock is not pushed. Connect the shop again.`,
    });
  } else if (connection.lastError) {
    flags.push({ item: 'connection', reason: `The connection to ${connection.shop} reported a problem: ${connection.lastError}` });
  }
  const active = connection?.status === 'active';

  if (facts.redisError) {
    flags.push({ item: 'redis', reason: `Redis cannot be read (${facts.redisError}): queues and schedules are unknown, and no background work runs.` });
  }
  if (active && facts.schedule && !facts.schedule.exists) {
    flags.push({
      item: 'schedule',
      reason: 'The polling schedule is missing from Redis: orders that webhooks miss will not be recovered. Restart a worker (it re-creates schedules at boot) or connect again.',
    });
  }
  if (active && facts.schedule?.nextRunAt && now.getTime() - facts.schedule.nextRunAt.getTime() > STUCK_AFTER_MS) {
    flags.push({
      item: 'schedule',
      reason: `The next poll was due ${minutes(now.getTime() - facts.schedule.nextRunAt.getTime())} minutes ago and has not run: check that a worker is running.`,
    });
  }
  for (const queue of facts.queues ?? []) {
    if (queue.workers === 0) {
      flags.push({ item: `queue:${queue.name}`, reason: `No worker is connected to the ${queue.name} queue: its jobs wait until a worker (ROLE=worker or all) is started.` });
    } else if (queue.counts.waiting > QUEUE_BACKLOG) {
      flags.push({ item: `queue:${queue.name}`, reason: `${queue.counts.waiting} jobs are waiting in ${queue.name}: workers are not keeping up.` });
    }
  }

  if (active && connection) {
    const since = connection.lastSyncedAt ?? connection.connectedAt;
    const lagMs = since ? now.getTime() - since.getTime() : 0;
    if (lagMs > 2 * intervalMs + STUCK_AFTER_MS) {
      flags.push({
        item: 'lastSyncedAt',
        reason: connection.lastSyncedAt
          ? `The last complete poll was ${minutes(lagMs)} minutes ago; polls should succeed every ${facts.pollIntervalMinutes} minutes. See the last poll run below.`
          : `No poll has completed since the shop was connected ${minutes(lagMs)} minutes ago.`,
      });
    }
  }

  for (const [type, run] of Object.entries(facts.lastRuns)) {
    if (run.status === 'failed' && (type === 'poll' || type === 'inventory_push' || type === 'product_sync' || type === 'collection_sync')) {
      flags.push({ item: `sync:${type}`, reason: `The last ${type} run failed at ${run.startedAt.toISOString()}: ${run.message}` });
    }
  }

  const failed = facts.deliveries24h.failed ?? 0;
  if (failed > 0) {
    flags.push({
      item: 'deliveries',
      reason: `${failed} webhook deliveries failed in the last 24 h: list them with GET /ecommerce/webhooks/deliveries?businessId=${facts.businessId}&status=failed and replay them once the cause is fixed.`,
    });
  }
  if (facts.stuckDeliveries > 0) {
    flags.push({ item: 'deliveries', reason: `${facts.stuckDeliveries} webhook deliveries were stored more than 5 minutes ago and are still not processed.` });
  }
  if (connection && facts.signatureFailuresLastHour > 0) {
    flags.push({
      item: 'webhooks',
      reason: `${facts.signatureFailuresLastHour} webhooks from ${connection.shop} failed their signature in the last hour and were refused: check SHOPIFY_API_SECRET (orders still arrive by poll, up to ${facts.pollIntervalMinutes} minutes late).`,
    });
  }
  if (facts.unmatchedSkus24h.length > 0) {
    const skus = facts.unmatchedSkus24h.map(({ sku, orders }) => `${sku} (${orders} order${orders === 1 ? '' : 's'})`).join(', ');
    flags.push({
      item: 'products',
      reason: `Order lines of the last 24 h match no POS product, so their stock was not moved: ${skus}. Create the products with these SKUs, or push the catalog so the mappings exist.`,
    });
  }
  for (const source of activeSources) {
    const label = `The ${source.provider === 'woocommerce' ? 'WooCommerce store' : 'signed-webhook source'} "${source.name}"`;
    if (source.lastError) flags.push({ item: `source:${source.id}`, reason: `${label} reported a problem: ${source.lastError}` });
    const since = source.lastPollAt ?? source.createdAt;
    if (source.provider === 'woocommerce' && since && now.getTime() - since.getTime() > 3 * intervalMs + STUCK_AFTER_MS) {
      flags.push({
        item: `source:${source.id}`,
        reason: `${label} has not been polled completely for ${minutes(now.getTime() - since.getTime())} minutes (every ${facts.pollIntervalMinutes} expected): orders its webhooks missed are not recovered. See its poll logs.`,
      });
    }
  }
  for (const overdue of facts.forwardingOverdue) {
    flags.push({
      item: `forwarding:${overdue.destinationId}`,
      reason: `${overdue.count} order(s) are not in the ERP "${overdue.destinationName}" 30 minutes after they were ingested: see GET /ecommerce/forwarding/messages?businessId=${facts.businessId}&destinationId=${overdue.destinationId}, fix the cause and reprocess the held ones (POST /ecommerce/forwarding/reprocess).`,
    });
  }
  const { statusSync } = facts;
  if (connection && statusSync.missingScopes.length > 0) {
    flags.push({
      item: 'status_sync',
      reason: `The connection to ${connection.shop} was made without ${statusSync.missingScopes.join(', ')}: fulfilments, mark-paid and cancellations cannot be sent to the shop (they answer 409). Reconnect the shop through the connect flow (POST /ecommerce/connect) to grant them.`,
    });
  }
  if (statusSync.failed > 0 && statusSync.lastFailure) {
    flags.push({
      item: 'status_sync',
      reason: `${statusSync.failed} request(s) back to the shop failed in the last 24 h; the last (${statusSync.lastFailure.action} of order ${statusSync.lastFailure.orderId}): ${statusSync.lastFailure.error ?? 'no reason recorded'}. See GET /ecommerce/orders/${statusSync.lastFailure.orderId} and the status_sync logs.`,
    });
  }
  if (statusSync.oldestPendingAt && now.getTime() - statusSync.oldestPendingAt.getTime() > STUCK_AFTER_MS) {
    flags.push({
      item: 'status_sync',
      reason: `${statusSync.pending} request(s) back to the shop have waited ${minutes(now.getTime() - statusSync.oldestPendingAt.getTime())} minutes: the shop keeps failing or no worker runs. See the status_sync logs.`,
    });
  }
  const oldest = facts.outbox.oldestPendingAt;
  if (oldest && now.getTime() - oldest.getTime() > STUCK_AFTER_MS) {
    flags.push({
      item: 'outbox',
      reason: `${facts.outbox.pending} stock changes have waited ${minutes(now.getTime() - oldest.getTime())} minutes to be pushed to Shopify: see the last inventory_push run.`,
    });
  }
  return flags;
}

export type Verdict = 'green' | 'amber' | 'red';

/**
 * One colour for a list of businesses: red when orders or stock are not moving at all (no active connection,
 * Redis, schedules or workers missing), amber when something needs a look but sync goes on, green otherwise.
 */
export function verdictOf(flags: StatusFlag[]): Verdict {
  if (flags.some((f) => f.item === 'connection' || f.item === 'redis' || f.item === 'schedule' || f.item.startsWith('queue:'))) return 'red';
  return flags.length > 0 ? 'amber' : 'green';
}
