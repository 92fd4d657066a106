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
}

interface Delivery {
  topic: string;
  webhookId: string;
  body: string;
}

const config = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadConfig;

function build(): { deliveries: Delivery[]; lines: number } {
  const deliveries: Delivery[] = [];
  let lines = 0;
  const now = new Date().toISOString();
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
    const webhookId = randomUUID();
    deliveries.push({ topic: 'orders/create', webhookId, body });
    deliveries.push(i % 2 === 0 ? { topic: 'orders/create', webhookId, body } : { topic: 'orders/paid', webhookId: randomUUID(), body });
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { deliveries, lines };
}

async function main(): Promise<void> {
  const { deliveries, lines } = build();
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
