import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake ERP does with a request: answer, be slow, hang or drop the connection. */
export type Behaviour =
  | { kind: 'ok'; status?: number; body?: unknown }
  | { kind: 'status'; status: number; body?: unknown; retryAfterSeconds?: number }
  | { kind: 'slow'; ms: number; then?: Behaviour }
  | { kind: 'hang' }
  | { kind: 'drop' };

export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
  orderNumber: string | null;
  /** The Standard Webhooks signature matched the secret, and the auth header was as configured. */
  verified: boolean;
  answered: number | 'hang' | 'drop';
}

/**
 * A merchant's ERP endpoint for tests and the demo: checks the Standard Webhooks signature (v1, HMAC-SHA256 of
 * `id.timestamp.body` keyed by the base64 of the `whsec_` secret) and the auth header, records every request, and
 * answers as told, per order number or for everything (`*`), one behaviour per request in order.
 */
export class FakeErp {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, Behaviour[]>();
  private readonly sockets = new Set<import('node:net').Socket>();
  private server!: Server;
  private nextId = 5000;
  secret: string | null = null;
  auth: { name: string; value: string } | null = null;
  url = '';

  static async start(): Promise<FakeErp> {
    const erp = new FakeErp();
    erp.server = createServer((req, res) => void erp.handle(req, res));
    erp.server.on('connection', (socket) => {
      erp.sockets.add(socket);
      socket.on('close', () => erp.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => erp.server.listen(0, '127.0.0.1', resolve));
    erp.url = `http://127.0.0.1:${(erp.server.address() as AddressInfo).port}/orders`;
    return erp;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Behaviours for the next requests about `orderNumber` (or any order: `*`), used one per request. */
  plan(orderNumber: string, ...behaviours: Behaviour[]): void {
    this.plans.set(orderNumber, [...(this.plans.get(orderNumber) ?? []), ...behaviours]);
  }

  /** Forgets every plan: requests are answered 200 again. */
  clearPlans(): void {
    this.plans.clear();
  }

  for(orderNumber: string): Received[] {
    return this.received.filter((r) => r.orderNumber === orderNumber);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let orderNumber: string | null;
    try {
      orderNumber = (JSON.parse(body) as { order?: { number?: string } }).order?.number ?? null;
    } catch {
      orderNumber = null;
    }
    const record: Received = { at: Date.now(), headers, body, orderNumber, verified: this.verify(headers, body), answered: 'hang' };
    this.received.push(record);
    const plan = (orderNumber && this.plans.get(orderNumber)?.length ? this.plans.get(orderNumber) : this.plans.get('*')) ?? [];
    let behaviour: Behaviour = plan.shift() ?? { kind: 'ok' };
    while (behaviour.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, (behaviour as { ms: number }).ms));
      behaviour = behaviour.then ?? { kind: 'ok' };
    }
    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'drop') {
      record.answered = 'drop';
      req.socket.destroy();
      return;
    }
    if (!record.verified && behaviour.kind === 'ok') behaviour = { kind: 'status', status: 401, body: { message: 'signature or auth header does not match' } };
    const status = behaviour.status ?? 200;
    const answer = behaviour.body ?? (behaviour.kind === 'ok' ? { object: { order_id: `ERP-${this.nextId++}` }, message: `Order ${orderNumber} created` } : { message: `HTTP ${status}` });
    record.answered = status;
    const extra = behaviour.kind === 'status' && behaviour.retryAfterSeconds !== undefined ? { 'retry-after': String(behaviour.retryAfterSeconds) } : {};
    res.writeHead(status, { 'content-type': 'application/json', ...extra }).end(JSON.stringify(answer));
  }

  private verify(headers: Record<string, string>, body: string): boolean {
    if (this.auth && headers[this.auth.name.toLowerCase()] !== this.auth.value) return false;
    if (!this.secret) return true;
    const id = headers['webhook-id'];
    const timestamp = Number(headers['webhook-timestamp']);
    if (!id || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const expected = createHmac('sha256', Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64')).update(`${id}.${timestamp}.${body}`).digest();
    return (headers['webhook-signature'] ?? '').split(' ').some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}
