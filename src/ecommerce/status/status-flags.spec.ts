import type { ConnectionView } from '../connection/connection.service.js';
import { statusFlags, verdictOf, type StatusFacts } from './status-flags.js';

const now = new Date('2026-11-22T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

const connection: ConnectionView = {
  businessId: 'b',
  provider: 'shopify',
  shop: 'a.myshopify.com',
  status: 'active',
  scopes: [],
  lastSyncedAt: minutesAgo(3),
  connectedAt: minutesAgo(600),
  webhooksRegistered: true,
  locationId: 'gid://shopify/Location/1',
  lastError: null,
};

const healthy = (): StatusFacts => ({
  businessId: 'b',
  now,
  pollIntervalMinutes: 15,
  connection: { ...connection },
  schedule: { exists: true, nextRunAt: new Date(now.getTime() + 60_000) },
  queues: [{ name: 'ecommerce-webhooks', workers: 2, counts: { waiting: 0, active: 0, delayed: 0, failed: 3 } }],
  redisError: null,
  lastRuns: { poll: { id: 'l', status: 'success', message: 'ok', startedAt: minutesAgo(3), finishedAt: minutesAgo(3) } },
  deliveries24h: { received: 0, processed: 10, failed: 0, skipped: 0 },
  stuckDeliveries: 0,
  outbox: { pending: 2, oldestPendingAt: minutesAgo(0.1) },
  unmatchedSkus24h: [],
  signatureFailuresLastHour: 0,
  sources: [],
  forwardingOverdue: [],
  statusSync: { pending: 0, failed: 0, oldestPendingAt: null, lastFailure: null, missingScopes: [] },
});

const woo = { id: 's1', provider: 'woocommerce', name: 'shop.example.com', status: 'active', lastError: null, lastPollAt: minutesAgo(3), createdAt: minutesAgo(600) };

const items = (facts: StatusFacts) => statusFlags(facts).map((flag) => flag.item);

describe('statusFlags', () => {
  it('flags nothing when all is well', () => {
    expect(statusFlags(healthy())).toEqual([]);
  });

  it('does not flag a business without Shopify whose orders come from another source', () => {
    expect(statusFlags({ ...healthy(), connection: null, schedule: null, sources: [woo] })).toEqual([]);
  });

  it.each<[string, (facts: StatusFacts) => void, string, RegExp]>([
    ['no connection', (f) => (f.connection = null), 'connection', /not connected to a shop or any other order source/],
    ['orders not in an ERP after 30 minutes', (f) => f.forwardingOverdue.push({ destinationId: 'd1', destinationName: 'ERP', count: 3 }), 'forwarding:d1', /3 order\(s\) are not in the ERP "ERP" 30 minutes after/],
    ['a source that reported a problem', (f) => f.sources.push({ ...woo, lastError: 'WooCommerce GET /orders: the store answered 503' }), 'source:s1', /WooCommerce store "shop.example.com" reported a problem: .*503/],
    ['a WooCommerce source not polled for an hour', (f) => f.sources.push({ ...woo, lastPollAt: minutesAgo(60) }), 'source:s1', /not been polled completely for 60 minutes/],
    ['an uninstalled connection', (f) => (f.connection!.status = 'uninstalled'), 'connection', /uninstalled.*Connect the shop again/],
    ['a connection error', (f) => (f.connection!.lastError = 'token refresh failed'), 'connection', /token refresh failed/],
    ['a missing schedule', (f) => (f.schedule = { exists: false, nextRunAt: null }), 'schedule', /missing/],
    ['an overdue schedule', (f) => (f.schedule = { exists: true, nextRunAt: minutesAgo(20) }), 'schedule', /due 20 minutes ago/],
    ['a queue without workers', (f) => (f.queues![0].workers = 0), 'queue:ecommerce-webhooks', /No worker/],
    ['a queue backlog', (f) => (f.queues![0].counts.waiting = 20_000), 'queue:ecommerce-webhooks', /20000 jobs are waiting/],
    ['Redis unreachable', (f) => ((f.redisError = 'ECONNREFUSED'), (f.queues = null), (f.schedule = null)), 'redis', /ECONNREFUSED/],
    ['a stale lastSyncedAt', (f) => (f.connection!.lastSyncedAt = minutesAgo(120)), 'lastSyncedAt', /120 minutes ago.*every 15 minutes/],
    ['no poll since connecting long ago', (f) => (f.connection!.lastSyncedAt = null), 'lastSyncedAt', /No poll has completed/],
    ['a failed last poll', (f) => (f.lastRuns.poll!.status = 'failed'), 'sync:poll', /last poll run failed/],
    ['failed deliveries', (f) => (f.deliveries24h.failed = 4), 'deliveries', /4 webhook deliveries failed.*status=failed/],
    ['deliveries waiting too long', (f) => (f.stuckDeliveries = 7), 'deliveries', /7 webhook deliveries/],
    ['an outbox waiting too long', (f) => (f.outbox = { pending: 9, oldestPendingAt: minutesAgo(30) }), 'outbox', /9 stock changes have waited 30 minutes/],
  ])('flags %s', (_name, change, item, reason) => {
    const facts = healthy();
    change(facts);
    const flags = statusFlags(facts);
    expect(flags).toContainEqual({ item, reason: expect.stringMatching(reason) });
  });

  it('does not flag the lag of a connection that has just been made, nor schedules of an inactive one', () => {
    const fresh = healthy();
    fresh.connection = { ...connection, lastSyncedAt: null, connectedAt: minutesAgo(1) };
    expect(items(fresh)).toEqual([]);
    const gone = healthy();
    gone.connection!.status = 'disconnected';
    gone.schedule = { exists: false, nextRunAt: null };
    expect(items(gone)).toEqual(['connection']);
  });

  it('flags order lines that matched no POS product, naming the SKUs and how many orders had them', () => {
    const facts = healthy();
    facts.unmatchedSkus24h = [{ sku: 'SKU-9', orders: 3 }, { sku: 'variant 42', orders: 1 }];
    const [flag] = statusFlags(facts);
    expect(flag).toEqual({ item: 'products', reason: expect.stringContaining('SKU-9 (3 orders), variant 42 (1 order)') });
  });

  it('flags webhooks of the connected shop that failed their signature, pointing at SHOPIFY_API_SECRET', () => {
    const facts = healthy();
    facts.signatureFailuresLastHour = 12;
    expect(statusFlags(facts)).toEqual([{ item: 'webhooks', reason: expect.stringMatching(/^12 webhooks from a.myshopify.com failed their signature in the last hour.*SHOPIFY_API_SECRET/) }]);
  });

  it('sums the flags up as one colour: red when sync stops, amber when something needs a look, green otherwise', () => {
    expect(verdictOf([])).toBe('green');
    expect(verdictOf([{ item: 'deliveries', reason: 'x' }, { item: 'products', reason: 'y' }])).toBe('amber');
    expect(verdictOf([{ item: 'deliveries', reason: 'x' }, { item: 'queue:ecommerce-webhooks', reason: 'y' }])).toBe('red');
    expect(verdictOf([{ item: 'connection', reason: 'uninstalled' }])).toBe('red');
  });

  it('flags a connection that lacks the scopes status back-sync needs, naming them and the way to grant them', () => {
    const facts = { ...healthy(), statusSync: { ...healthy().statusSync, missingScopes: ['write_orders'] } };
    const [flag] = statusFlags(facts);
    expect(flag.item).toBe('status_sync');
    expect(flag.reason).toMatch(/made without write_orders: .*Reconnect the shop through the connect flow/);
  });

  it('flags requests back to the shop that failed in the last day, and ones waiting longer than five minutes', () => {
    const failed = { ...healthy(), statusSync: { ...healthy().statusSync, failed: 2, lastFailure: { id: 'r', orderId: 'o', action: 'cancel', error: 'Shopify refused: nope' } } };
    expect(statusFlags(failed).map((f) => f.reason)).toEqual([expect.stringMatching(/2 request\(s\) back to the shop failed .*cancel of order o\): Shopify refused: nope/)]);
    const waiting = { ...healthy(), statusSync: { ...healthy().statusSync, pending: 3, oldestPendingAt: minutesAgo(6) } };
    expect(items(waiting)).toEqual(['status_sync']);
    expect(items({ ...healthy(), statusSync: { ...healthy().statusSync, pending: 3, oldestPendingAt: minutesAgo(1) } })).toEqual([]);
  });
});
