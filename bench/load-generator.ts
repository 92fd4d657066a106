import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * The load generator of webhook-ingest, run as its own process so that its work does not count against the
 * app. Sends `orders` distinct signed orders/create deliveries plus as many duplicates (half of them Shopify
 * redeliveries with the same webhook id, half orders/paid for the same order), shuffled, `concurrency` at a time.
 */
interface LoadConfig {
  url: string;
  shop: string;
  secret: string;
  orders: number;
  products: number;
  concurrency: number;
  firstOrderId: number;
  /** create: one orders/create per order (webhook-ingest); lifecycle: edits, refunds and cancellations too (order-lifecycle). */
  mode?: 'create' | 'lifecycle';
  /** Makes the webhook ids and the order of the deliveries a function of the seed: two systems get the same requests. */
  seed?: number;
}

interface Delivery {
  topic: string;
  webhookId: string;
  body: string;
}

const config = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadConfig;

/** mulberry32: small, seeded, good enough to shuffle a benchmark's requests the same way twice. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = config.seed === undefined ? Math.random : seeded(config.seed);
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const newId = (): string => (config.seed === undefined ? randomUUID() : `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`);

function build(): { deliveries: Delivery[]; lines: number } {
  const deliveries: Delivery[] = [];
  let lines = 0;
  const now = config.seed === undefined ? new Date().toISOString() : new Date(Date.UTC(2026, 0, 1) + config.seed * 1000).toISOString();
  for (let i = 0; i < config.orders; i++) {
    const id = config.firstOrderId + i;
    const lineCount = 1 + (i % 2);
    lines += lineCount;
    const body = JSON.stringify({
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#B${id}`,
      created_at: now,
      updated_at: now,
      cancelled_at: null,
      financial_status: 'paid',
      line_items: Array.from({ length: lineCount }, (_, n) => ({
        id: id * 10 + n,
        admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + n}`,
        sku: `P${(i * 7 + n) % config.products}`,
        variant_id: null,
        quantity: 1,
        price: '9.99',
      })),
    });
    const webhookId = newId();
    deliveries.push({ topic: 'orders/create', webhookId, body });
    deliveries.push(i % 2 === 0 ? { topic: 'orders/create', webhookId, body } : { topic: 'orders/paid', webhookId: newId(), body });
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { deliveries, lines };
}

/**
 * Per order one line of 3 units, then by order number: nothing more; an edit down to 1; a refund of 1 with
 * restock; a cancellation with restock; a refund of 1 without restock. Every delivery is sent twice (half with
 * the same webhook id), all shuffled, so refunds and cancellations often arrive before the order itself.
 * `lines` is what the orders hold in the end: POS stock must be short by exactly that.
 */
function buildLifecycle(): { deliveries: Delivery[]; lines: number } {
  const deliveries: Delivery[] = [];
  let held = 0;
  const t0 = Date.now() - 60_000;
  const iso = (offset: number) => new Date(t0 + offset).toISOString();
  for (let i = 0; i < config.orders; i++) {
    const id = config.firstOrderId + i;
    const lineId = id * 10;
    const sku = `P${(i * 7) % config.products}`;
    const version = (offset: number, currentQuantity: number, refunds: unknown[], cancelled = false) =>
      JSON.stringify({
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        name: `#L${id}`,
        created_at: iso(0),
        updated_at: iso(offset),
        cancelled_at: cancelled ? iso(offset) : null,
        financial_status: 'paid',
        line_items: [{ id: lineId, admin_graphql_api_id: `gid://shopify/LineItem/${lineId}`, sku, variant_id: null, quantity: 3, current_quantity: currentQuantity, price: '9.99' }],
        refunds,
      });
    const refund = (n: number, quantity: number, restockType: string) => ({
      id: id * 10 + n,
      admin_graphql_api_id: `gid://shopify/Refund/${id * 10 + n}`,
      order_id: id,
      refund_line_items: [{ id: id * 100 + n, quantity, line_item_id: lineId, restock_type: restockType, line_item: { id: lineId, admin_graphql_api_id: `gid://shopify/LineItem/${lineId}` } }],
    });
    const events: Array<[string, string]> = [['orders/create', version(0, 3, [])]];
    switch (i % 5) {
      case 0:
        held += 3;
        break;
      case 1:
        events.push(['orders/edited', JSON.stringify({ order_edit: { id: id * 10 + 1, order_id: id, line_items: { additions: [], removals: [{ id: lineId, delta: 2 }] } } })]);
        events.push(['orders/updated', version(1000, 1, [])]);
        held += 1;
        break;
      case 2: {
        const r = refund(2, 1, 'return');
        events.push(['refunds/create', JSON.stringify(r)], ['orders/updated', version(1000, 2, [r])]);
        held += 2;
        break;
      }
      case 3: {
        const r = refund(3, 3, 'cancel');
        events.push(['orders/cancelled', version(1000, 0, [r], true)], ['refunds/create', JSON.stringify(r)]);
        break;
      }
      default: {
        const r = refund(4, 1, 'no_restock');
        events.push(['refunds/create', JSON.stringify(r)], ['orders/updated', version(1000, 2, [r])]);
        held += 3;
      }
    }
    for (const [topic, body] of events) {
      const webhookId = randomUUID();
      deliveries.push({ topic, webhookId, body }, { topic, webhookId: i % 2 === 0 ? webhookId : randomUUID(), body });
    }
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { deliveries, lines: held };
}

async function main(): Promise<void> {
  const { deliveries, lines } = config.mode === 'lifecycle' ? buildLifecycle() : build();
  const target = new URL('/ecommerce/webhooks/shopify', config.url);
  const agent = new Agent({ keepAlive: true, maxSockets: config.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;

  const send = (delivery: Delivery) =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(delivery.body),
            'x-shopify-topic': delivery.topic,
            'x-shopify-shop-domain': config.shop,
            'x-shopify-webhook-id': delivery.webhookId,
            'x-shopify-hmac-sha256': createHmac('sha256', config.secret).update(delivery.body).digest('base64'),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        statuses[0] = (statuses[0] ?? 0) + 1;
        resolve();
      });
      req.end(delivery.body);
    });

  const started = Date.now();
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < deliveries.length) await send(deliveries[next++]);
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ sent: deliveries.length, seconds, statuses, latencies, distinctOrders: config.orders, distinctLines: lines, lastAckAt: Date.now() })}\n`);
}

void main();
