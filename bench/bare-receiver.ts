import express from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

/**
 * BASELINE, not part of the product: the receiver every order-sync tutorial shows, which a user would write instead
 * of this service. Express, the raw body's HMAC checked, one INSERT ... ON CONFLICT DO NOTHING, 200, and no
 * processing at all. webhook-ingest runs it beside the app, with the same signed requests, to compare against.
 */
const port = Number(process.env.BARE_PORT ?? 0);
const secret = process.env.BARE_SECRET ?? '';
const pool = new pg.Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10 });

async function main(): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bare_delivery (shop text NOT NULL, webhook_id text NOT NULL, topic text NOT NULL, body jsonb NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (shop, webhook_id))`,
  );
  const app = express();
  app.post('/ecommerce/webhooks/shopify', express.raw({ type: '*/*', limit: '10mb' }), (req, res) => {
    const body = req.body as Buffer;
    const given = Buffer.from(String(req.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
    const expected = createHmac('sha256', secret).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ ok: false });
      return;
    }
    pool
      .query('INSERT INTO bare_delivery (shop, webhook_id, topic, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [req.headers['x-shopify-shop-domain'], req.headers['x-shopify-webhook-id'], req.headers['x-shopify-topic'], body.toString('utf8')])
      .then(() => res.status(200).json({ ok: true }))
      .catch(() => res.status(503).json({ ok: false }));
  });
  const server = app.listen(port, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : port })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

void main();
