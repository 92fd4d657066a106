import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake WooCommerce, built from WooCommerce's own rules (class-wc-webhook.php, wc-webhook-functions.php and the
 * REST API v3; see ../shared/reference/integrations.md, section C): stores at `<baseUrl>/stores/<name>` with the
 * REST API under `/wp-json/wc/v3`, HTTP Basic auth with consumer keys, webhooks signed with a base64 HMAC-SHA256 of
 * the body, an unsigned form-encoded ping on creation, payloads built at delivery time, a delivery per (webhook,
 * order) collapsed while one is already scheduled, no retries, and a webhook disabled after more than 5 failures.
 */

export type WooStatus = 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'trash';

export interface WooLine {
  id: number;
  sku: string;
  quantity: number;
  price: string;
}

export interface WooRefund {
  id: number;
  lines: Array<{ lineId: number; quantity: number }>;
}

export interface WooOrder {
  id: number;
  status: WooStatus;
  /** The status before trashing, which a restore brings back. */
  statusBeforeTrash: WooStatus | null;
  email: string | null;
  createdAt: Date;
  modifiedAt: Date;
  lines: WooLine[];
  refunds: WooRefund[];
  datePaid: Date | null;
  dateCompleted: Date | null;
  notes: Array<{ id: number; note: string; customerNote: boolean; createdAt: Date }>;
}

export interface WooWebhook {
  id: number;
  topic: string;
  deliveryUrl: string;
  secret: string;
  status: 'active' | 'paused' | 'disabled';
  failureCount: number;
  /** Orders with a delivery scheduled: a new event for one of them is absorbed by it. */
  scheduled: Set<number>;
  pingStatus: number | null;
}

export interface WooStore {
  name: string;
  consumerKey: string;
  consumerSecret: string;
  orders: Map<number, WooOrder>;
  webhooks: Map<number, WooWebhook>;
}

export interface WooFault {
  store?: string;
  /** 'rest' (any REST call) or 'webhook' (deliveries). */
  target: 'rest' | 'webhook';
  kind: 'status' | 'drop' | 'slow';
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  count: number;
}

export interface WooEmulatorOptions {
  port?: number;
  host?: string;
  /** How long a delivery waits before it is sent: WooCommerce's Action Scheduler runs within seconds; tests use less. */
  deliveryDelayMs?: number;
}

export interface DeliveryRecord {
  store: string;
  webhookId: number;
  topic: string;
  orderId: number;
  status: number | 'error' | 'dropped';
}

type OrderEvent = 'created' | 'updated' | 'deleted' | 'restored';
const MAX_FAILURES = 5;

/** WooCommerce writes GMT dates without a zone and to the second: `2026-11-29T20:40:12`. */
const gmt = (date: Date) => date.toISOString().slice(0, 19);

export class WooCommerceEmulator {
  readonly stores = new Map<string, WooStore>();
  readonly deliveries: DeliveryRecord[] = [];
  readonly faults: WooFault[] = [];
  private server!: Server;
  private nextId = 100;
  private readonly timers = new Set<NodeJS.Timeout>();
  baseUrl = '';

  private constructor(private readonly options: WooEmulatorOptions) {}

  static async start(options: WooEmulatorOptions = {}): Promise<WooCommerceEmulator> {
    const emulator = new WooCommerceEmulator(options);
    emulator.server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => emulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
    const { port } = emulator.server.address() as AddressInfo;
    emulator.baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
    return emulator;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  createStore(name: string, keys?: { consumerKey: string; consumerSecret: string }): WooStore & { url: string } {
    const store: WooStore = {
      name,
      consumerKey: keys?.consumerKey ?? `ck_${randomBytes(20).toString('hex')}`,
      consumerSecret: keys?.consumerSecret ?? `cs_${randomBytes(20).toString('hex')}`,
      orders: new Map(),
      webhooks: new Map(),
    };
    this.stores.set(name, store);
    return Object.assign(store, { url: this.storeUrl(name) });
  }

  storeUrl(name: string): string {
    return `${this.baseUrl}/stores/${name}`;
  }

  store(name: string): WooStore {
    const store = this.stores.get(name);
    if (!store) throw new Error(`no WooCommerce store ${name}`);
    return store;
  }

  // --- What a merchant or a customer does in the store -------------------------------------------------------

  createOrder(storeName: string, input: { lines: Array<{ sku: string; quantity: number; price?: string }>; status?: WooStatus; email?: string | null; id?: number }): WooOrder {
    const store = this.store(storeName);
    const now = this.now();
    if (input.id !== undefined && store.orders.has(input.id)) throw new Error(`store ${storeName} already has order ${input.id}`);
    const order: WooOrder = {
      id: input.id ?? this.nextId++,
      status: input.status ?? 'processing',
      statusBeforeTrash: null,
      email: input.email === undefined ? 'buyer@example.com' : input.email,
      createdAt: now,
      modifiedAt: now,
      lines: input.lines.map((line) => ({ id: this.nextId++, sku: line.sku, quantity: line.quantity, price: line.price ?? '10.00' })),
      refunds: [],
      datePaid: ['processing', 'completed'].includes(input.status ?? 'processing') ? now : null,
      dateCompleted: input.status === 'completed' ? now : null,
      notes: [],
    };
    store.orders.set(order.id, order);
    this.emit(store, order.id, 'created');
    return order;
  }

  setStatus(storeName: string, id: number, status: WooStatus): WooOrder {
    const { store, order } = this.touch(storeName, id);
    order.status = status;
    if (status === 'completed') order.dateCompleted ??= order.modifiedAt;
    if (status === 'processing' || status === 'completed') order.datePaid ??= order.modifiedAt;
    this.emit(store, id, 'updated');
    return order;
  }

  setQuantity(storeName: string, id: number, sku: string, quantity: number): WooOrder {
    const { store, order } = this.touch(storeName, id);
    const line = order.lines.find((l) => l.sku === sku);
    if (!line) throw new Error(`order ${id} has no line ${sku}`);
    line.quantity = quantity;
    this.emit(store, id, 'updated');
    return order;
  }

  /** A refund of some units (restocked, WooCommerce's default); refunding everything makes the order `refunded`. */
  refund(storeName: string, id: number, lines: Array<{ sku: string; quantity: number }>): WooOrder {
    const { store, order } = this.touch(storeName, id);
    order.refunds.push({
      id: this.nextId++,
      lines: lines.map((l) => {
        const line = order.lines.find((x) => x.sku === l.sku);
        if (!line) throw new Error(`order ${id} has no line ${l.sku}`);
        return { lineId: line.id, quantity: l.quantity };
      }),
    });
    const refunded = (lineId: number) => order.refunds.flatMap((r) => r.lines).filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);
    if (order.lines.every((line) => refunded(line.id) >= line.quantity)) order.status = 'refunded';
    this.emit(store, id, 'updated');
    return order;
  }

  trash(storeName: string, id: number): WooOrder {
    const { store, order } = this.touch(storeName, id);
    order.statusBeforeTrash = order.status;
    order.status = 'trash';
    this.emit(store, id, 'deleted');
    return order;
  }

  restore(storeName: string, id: number): WooOrder {
    const { store, order } = this.touch(storeName, id);
    order.status = order.statusBeforeTrash ?? 'pending';
    order.statusBeforeTrash = null;
    this.emit(store, id, 'restored');
    return order;
  }

  /** What a store holds out of stock for each SKU, by the same rules a POS should follow. */
  heldBySku(storeName: string): Record<string, number> {
    const held: Record<string, number> = {};
    for (const order of this.store(storeName).orders.values()) {
      if (!['pending', 'processing', 'on-hold', 'completed'].includes(order.status)) continue;
      for (const line of order.lines) {
        const refunded = order.refunds.flatMap((r) => r.lines).filter((l) => l.lineId === line.id).reduce((n, l) => n + l.quantity, 0);
        held[line.sku] = (held[line.sku] ?? 0) + Math.max(0, line.quantity - refunded);
      }
    }
    return held;
  }

  injectFault(fault: WooFault): void {
    this.faults.push(fault);
  }

  // --- REST shapes ---------------------------------------------------------------------------------------------

  orderJson(order: WooOrder) {
    return {
      id: order.id,
      parent_id: 0,
      number: String(order.id),
      order_key: `wc_order_${createHash('sha1').update(String(order.id)).digest('hex').slice(0, 13)}`,
      created_via: 'checkout',
      status: order.status,
      currency: 'EUR',
      date_created: gmt(order.createdAt),
      date_created_gmt: gmt(order.createdAt),
      date_modified: gmt(order.modifiedAt),
      date_modified_gmt: gmt(order.modifiedAt),
      date_paid: order.datePaid ? gmt(order.datePaid) : null,
      date_paid_gmt: order.datePaid ? gmt(order.datePaid) : null,
      date_completed: order.dateCompleted ? gmt(order.dateCompleted) : null,
      date_completed_gmt: order.dateCompleted ? gmt(order.dateCompleted) : null,
      total: order.lines.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2),
      billing: { first_name: 'Ada', last_name: 'Lovelace', email: order.email ?? '' },
      line_items: order.lines.map((line) => ({
        id: line.id,
        name: `Product ${line.sku}`,
        product_id: 1000 + line.id,
        variation_id: 0,
        quantity: line.quantity,
        sku: line.sku,
        price: Number(line.price),
        subtotal: (Number(line.price) * line.quantity).toFixed(2),
        total: (Number(line.price) * line.quantity).toFixed(2),
        meta_data: [],
      })),
      refunds: order.refunds.map((refund) => ({ id: refund.id, reason: '', total: `-${this.refundTotal(order, refund)}` })),
    };
  }

  private refundJson(order: WooOrder, refund: WooRefund) {
    return {
      id: refund.id,
      date_created_gmt: gmt(order.modifiedAt),
      amount: this.refundTotal(order, refund),
      reason: '',
      line_items: refund.lines.map((l) => {
        const line = order.lines.find((x) => x.id === l.lineId)!;
        return { id: this.nextId++, name: `Product ${line.sku}`, product_id: 1000 + line.id, quantity: -l.quantity, sku: line.sku, meta_data: [{ id: 1, key: '_refunded_item_id', value: String(line.id) }] };
      }),
    };
  }

  private refundTotal(order: WooOrder, refund: WooRefund): string {
    return refund.lines.reduce((sum, l) => sum + Number(order.lines.find((x) => x.id === l.lineId)?.price ?? 0) * l.quantity, 0).toFixed(2);
  }

  // --- Webhooks ------------------------------------------------------------------------------------------------

  /** Queues a delivery per webhook of the event's topic, unless one for the order is already scheduled. */
  private emit(store: WooStore, orderId: number, event: OrderEvent): void {
    for (const webhook of store.webhooks.values()) {
      if (webhook.status !== 'active' || webhook.topic !== `order.${event}` || webhook.scheduled.has(orderId)) continue;
      webhook.scheduled.add(orderId);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        webhook.scheduled.delete(orderId);
        void this.deliver(store, webhook, orderId, event);
      }, this.options.deliveryDelayMs ?? 50);
      this.timers.add(timer);
    }
  }

  private async deliver(store: WooStore, webhook: WooWebhook, orderId: number, event: OrderEvent): Promise<void> {
    const order = store.orders.get(orderId);
    // Built at delivery time, from the order as it is now; a deletion carries only the id.
    const payload = event === 'deleted' || !order ? { id: orderId } : this.orderJson(order);
    const body = JSON.stringify(payload);
    const record: DeliveryRecord = { store: store.name, webhookId: webhook.id, topic: webhook.topic, orderId, status: 'dropped' };
    this.deliveries.push(record);
    const fault = this.takeFault(store.name, 'webhook');
    if (fault?.kind === 'drop') return;
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
    try {
      const response = await fetch(webhook.deliveryUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
          'x-wc-webhook-source': `${this.storeUrl(store.name)}/`,
          'x-wc-webhook-topic': webhook.topic,
          'x-wc-webhook-resource': 'order',
          'x-wc-webhook-event': event,
          'x-wc-webhook-signature': createHmac('sha256', webhook.secret).update(body).digest('base64'),
          'x-wc-webhook-id': String(webhook.id),
          // wp_hash(webhook id . time()): the same for two deliveries within a second.
          'x-wc-webhook-delivery-id': createHash('md5').update(`${webhook.id}${Math.floor(Date.now() / 1000)}`).digest('hex'),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      record.status = response.status;
      this.logDelivery(webhook, response.status >= 200 && response.status < 303);
    } catch {
      record.status = 'error';
      this.logDelivery(webhook, false);
    }
  }

  /** WC_Webhook::log_delivery: success resets the count; more than 5 failures in a row disable the webhook. */
  private logDelivery(webhook: WooWebhook, ok: boolean): void {
    if (ok) {
      webhook.failureCount = 0;
    } else if (webhook.failureCount > MAX_FAILURES) {
      webhook.status = 'disabled';
    } else {
      webhook.failureCount++;
    }
  }

  private async ping(webhook: WooWebhook): Promise<void> {
    try {
      const response = await fetch(webhook.deliveryUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `webhook_id=${webhook.id}`,
        redirect: 'manual',
      });
      await response.arrayBuffer();
      webhook.pingStatus = response.status;
    } catch {
      webhook.pingStatus = 0;
    }
  }

  // --- HTTP ----------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const match = /^\/stores\/([^/]+)\/wp-json\/wc\/v3(\/.*)$/.exec(url.pathname);
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => resolve(text));
    });
    if (url.pathname.startsWith('/_control/')) return this.control(req.method ?? 'GET', url, body, res);
    const store = match ? this.stores.get(match[1]) : undefined;
    if (!match || !store) return send(res, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    const fault = this.takeFault(store.name, 'rest');
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
    if (fault?.kind === 'status') {
      return send(res, fault.status ?? 500, { code: 'internal_server_error', message: 'There has been a critical error on this website.' }, fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
    }
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
    if (user !== store.consumerKey || password !== store.consumerSecret) {
      return send(res, 401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    }
    const path = match[2];
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/orders') return this.listOrders(store, url, res);
    if (method === 'GET' && path === '/system_status') return send(res, 200, { environment: { version: '10.3.0' } });
    const orderPath = /^\/orders\/(\d+)(\/refunds)?$/.exec(path);
    if (method === 'GET' && orderPath) {
      const order = store.orders.get(Number(orderPath[1]));
      if (!order) return send(res, 404, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
      return send(res, 200, orderPath[2] ? order.refunds.map((r) => this.refundJson(order, r)) : this.orderJson(order));
    }
    const notesPath = /^\/orders\/(\d+)\/notes$/.exec(path);
    if (method === 'POST' && notesPath) return this.addNote(store, Number(notesPath[1]), body, res);
    if ((method === 'PUT' || method === 'POST' || method === 'PATCH') && orderPath && !orderPath[2]) return this.updateOrder(store, Number(orderPath[1]), body, res);
    if (method === 'POST' && path === '/webhooks') return this.createWebhook(store, body, res);
    const webhookPath = /^\/webhooks\/(\d+)$/.exec(path);
    if (method === 'DELETE' && webhookPath) {
      const webhook = store.webhooks.get(Number(webhookPath[1]));
      if (!webhook) return send(res, 404, { code: 'woocommerce_rest_webhook_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
      store.webhooks.delete(webhook.id);
      return send(res, 200, this.webhookJson(webhook));
    }
    return send(res, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  }

  /**
   * PUT /orders/:id (WP REST also takes POST and PATCH): `status` moves the order (WooCommerce restocks a cancelled
   * one itself), `set_paid: true` runs payment_complete (date_paid, and pending or on-hold become processing).
   */
  private updateOrder(store: WooStore, id: number, body: string, res: ServerResponse): void {
    const order = store.orders.get(id);
    if (!order) return send(res, 400, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 400 } });
    const input = (body ? JSON.parse(body) : {}) as { status?: string; set_paid?: boolean };
    const statuses: WooStatus[] = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed'];
    if (input.status !== undefined && !statuses.includes(input.status as WooStatus)) {
      return send(res, 400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): status', data: { status: 400, params: { status: `status is not one of ${statuses.join(', ')}.` } } });
    }
    const now = this.now();
    let changed = false;
    if (input.set_paid === true && !order.datePaid) {
      order.datePaid = now;
      if (order.status === 'pending' || order.status === 'on-hold') order.status = 'processing';
      changed = true;
    }
    if (input.status && input.status !== order.status) {
      order.status = input.status as WooStatus;
      if (order.status === 'completed') order.dateCompleted ??= now;
      changed = true;
    }
    if (changed) {
      order.modifiedAt = now;
      this.emit(store, id, 'updated');
    }
    send(res, 200, this.orderJson(order));
  }

  /** POST /orders/:id/notes: a private note, or one e-mailed to the customer (`customer_note`). */
  private addNote(store: WooStore, id: number, body: string, res: ServerResponse): void {
    const order = store.orders.get(id);
    if (!order) return send(res, 404, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    const input = (body ? JSON.parse(body) : {}) as { note?: unknown; customer_note?: unknown };
    if (typeof input.note !== 'string' || input.note === '') return send(res, 400, { code: 'rest_missing_callback_param', message: 'Missing parameter(s): note', data: { status: 400, params: ['note'] } });
    const note = { id: this.nextId++, note: input.note, customerNote: input.customer_note === true, createdAt: this.now() };
    order.notes.push(note);
    send(res, 201, { id: note.id, author: 'system', date_created_gmt: gmt(note.createdAt), note: note.note, customer_note: note.customerNote });
  }

  /** GET /orders: modified_after (GMT with dates_are_gmt), orderby=modified&order=asc, per_page up to 100; no trash. */
  private listOrders(store: WooStore, url: URL, res: ServerResponse): void {
    const perPage = Number(url.searchParams.get('per_page') ?? 10);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return send(res, 400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { status: 400 } });
    const after = url.searchParams.get('modified_after');
    const gmtDates = url.searchParams.get('dates_are_gmt') === 'true';
    // Without dates_are_gmt the store reads the date in its own time zone, which this store keeps at UTC+2.
    const since = after ? new Date(`${after.replace(/Z$/, '')}${gmtDates ? 'Z' : '+02:00'}`).getTime() : 0;
    const ascending = url.searchParams.get('order') === 'asc';
    // `status` takes a comma-separated list; without it, every status but trash.
    const statuses = url.searchParams.get('status')?.split(',');
    const matching = [...store.orders.values()]
      .filter((o) => (statuses ? statuses.includes(o.status) || (statuses.includes('any') && o.status !== 'trash') : o.status !== 'trash') && Math.floor(o.modifiedAt.getTime() / 1000) * 1000 > since)
      .sort((a, b) => (url.searchParams.get('orderby') === 'modified' ? a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id - b.id : a.id - b.id) * (ascending ? 1 : -1));
    const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
    send(res, 200, matching.slice((page - 1) * perPage, page * perPage).map((o) => this.orderJson(o)), {
      'x-wp-total': String(matching.length),
      'x-wp-totalpages': String(totalPages),
    });
  }

  private createWebhook(store: WooStore, body: string, res: ServerResponse): void {
    const input = JSON.parse(body || '{}') as { topic?: string; delivery_url?: string; secret?: string; status?: string };
    if (!input.topic || !/^order\.(created|updated|deleted|restored)$/.test(input.topic) || !input.delivery_url || !input.secret) {
      return send(res, 400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): topic, delivery_url, secret', data: { status: 400 } });
    }
    const webhook: WooWebhook = { id: this.nextId++, topic: input.topic, deliveryUrl: input.delivery_url, secret: input.secret, status: 'active', failureCount: 0, scheduled: new Set(), pingStatus: null };
    store.webhooks.set(webhook.id, webhook);
    // WC_Webhook::deliver_ping runs when the webhook is saved active.
    void this.ping(webhook);
    send(res, 201, this.webhookJson(webhook));
  }

  private webhookJson(webhook: WooWebhook) {
    return { id: webhook.id, name: `Webhook ${webhook.id}`, status: webhook.status, topic: webhook.topic, resource: 'order', event: webhook.topic.split('.')[1], delivery_url: webhook.deliveryUrl };
  }

  /** `/_control/stores/:store[/orders[/:id[/status|/quantity|/refund|/trash|/restore]]]` for a separate process. */
  private control(method: string, url: URL, body: string, res: ServerResponse): void {
    try {
      const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const parts = url.pathname.split('/').filter(Boolean).slice(1);
      const [, name, resource, id, action] = parts;
      if (method === 'POST' && parts.length === 2) return send(res, 201, this.publicStore(this.createStore(name, input as { consumerKey: string; consumerSecret: string })));
      if (method === 'GET' && parts.length === 2) return send(res, 200, { ...this.publicStore(this.store(name)), held: this.heldBySku(name) });
      if (resource !== 'orders') return send(res, 404, { message: 'unknown control route' });
      if (method === 'POST' && !id) return send(res, 201, this.orderJson(this.createOrder(name, input as Parameters<WooCommerceEmulator['createOrder']>[1])));
      const orderId = Number(id);
      if (action === 'status') return send(res, 200, this.orderJson(this.setStatus(name, orderId, input.status as WooStatus)));
      if (action === 'quantity') return send(res, 200, this.orderJson(this.setQuantity(name, orderId, String(input.sku), Number(input.quantity))));
      if (action === 'refund') return send(res, 200, this.orderJson(this.refund(name, orderId, input.lines as Array<{ sku: string; quantity: number }>)));
      if (action === 'trash') return send(res, 200, this.orderJson(this.trash(name, orderId)));
      if (action === 'restore') return send(res, 200, this.orderJson(this.restore(name, orderId)));
      return send(res, 404, { message: 'unknown control route' });
    } catch (error) {
      send(res, 400, { message: (error as Error).message });
    }
  }

  private publicStore(store: WooStore) {
    return { name: store.name, url: this.storeUrl(store.name), consumerKey: store.consumerKey, consumerSecret: store.consumerSecret, webhooks: [...store.webhooks.values()].map((w) => this.webhookJson(w)) };
  }

  private takeFault(store: string, target: WooFault['target']): WooFault | undefined {
    const index = this.faults.findIndex((f) => f.target === target && (!f.store || f.store === store) && f.count > 0);
    if (index === -1) return undefined;
    const fault = this.faults[index];
    fault.count--;
    if (fault.count === 0) this.faults.splice(index, 1);
    return fault;
  }

  private touch(storeName: string, id: number): { store: WooStore; order: WooOrder } {
    const store = this.store(storeName);
    const order = store.orders.get(id);
    if (!order) throw new Error(`store ${storeName} has no order ${id}`);
    order.modifiedAt = this.now();
    return { store, order };
  }

  private now(): Date {
    return new Date();
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}
