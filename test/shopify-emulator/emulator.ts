import { execute, GraphQLError, Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actualQueryCost, requestedQueryCost } from './cost.js';
import { createRoot, TOPIC_TO_REST } from './resolvers.js';
import { adminSchema, validateAgainstShopify } from './admin-schema.js';
import { cancelOrder, editOrder, editPayload, fulfillmentStatus, heldBySku, newLine, OrderLifecycleError, refundOrder, refundPayload, remainingQuantity, type EditInput, type RefundInput } from './order-lifecycle.js';
import { webhookExample } from './webhook-examples.js';
import { signOAuthQuery } from './signing.js';
import { collectionProducts, controlJson, gid, nextBigId, randomToken, ShopState, type LineItem, type Order, type Refund } from './state.js';
import { DEFAULT_BEHAVIOUR, WebhookDispatcher, type WebhookBehaviour } from './webhook-dispatcher.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  apiVersion?: string;
  /** Shopify's standard plan: a 1,000-point bucket restoring 100 points a second. */
  bucketSize?: number;
  restoreRate?: number;
  /** Lifetime of expiring offline access tokens. */
  accessTokenTtlSeconds?: number;
  /** How long orderCancel's job runs before the order is cancelled. */
  cancelJobMs?: number;
}

export type FaultTarget = 'graphql' | 'oauth' | 'all';
export interface Fault {
  target: FaultTarget;
  shop?: string;
  /** `lost_answer`: the request is carried out, then the connection drops before the answer (a mutation applied unseen). */
  kind: 'status' | 'timeout' | 'slow' | 'reset' | 'lost_answer';
  /** Only requests whose root field is this one (fulfillmentCreate, orderCancel...). */
  field?: string;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  remaining: number;
}

export interface EmulatorStats {
  graphqlRequests: number;
  graphqlThrottled: number;
  mutations: Record<string, number>;
  queries: Record<string, number>;
  faultsInjected: number;
  tokenExchanges: number;
}

const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** A fake Shopify on a real HTTP port: OAuth, the GraphQL Admin API with its cost bucket, webhooks, faults. */
export class ShopifyEmulator {
  readonly shops = new Map<string, ShopState>();
  readonly faults: Fault[] = [];
  readonly webhooks: WebhookDispatcher;
  stats: EmulatorStats = emptyStats();
  private server: Server | null = null;
  private readonly schema: GraphQLSchema;
  private readonly parsed = new Map<string, DocumentNode>();
  private readonly idempotency = new Map<string, unknown>();
  private readonly sockets = new Set<import('node:net').Socket>();
  readonly options: Required<EmulatorOptions>;

  constructor(options: EmulatorOptions) {
    this.options = {
      port: 0,
      host: '127.0.0.1',
      apiVersion: '2026-10',
      bucketSize: 1000,
      restoreRate: 100,
      accessTokenTtlSeconds: 3600,
      cancelJobMs: 300,
      ...options,
    };
    this.schema = adminSchema(this.options.apiVersion);
    this.webhooks = new WebhookDispatcher(() => this.options.apiSecret, this.options.apiVersion);
  }

  static async start(options: EmulatorOptions): Promise<ShopifyEmulator> {
    const emulator = new ShopifyEmulator(options);
    await emulator.listen();
    return emulator;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.listen(this.options.port, this.options.host);
    await once(this.server, 'listening');
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  /** The value for the app's SHOPIFY_SHOP_URL_TEMPLATE. */
  get shopUrlTemplate(): string {
    return `${this.baseUrl}/{shop}`;
  }

  async stop(): Promise<void> {
    this.webhooks.stop();
    for (const socket of this.sockets) socket.destroy();
    if (this.server) {
      this.server.close();
      await once(this.server, 'close').catch(() => undefined);
    }
    this.server = null;
  }

  // ----- state changes, also reachable through the control API -----

  createShop(domain: string, plan: { bucketSize?: number; restoreRate?: number } = {}): ShopState {
    if (!SHOP_DOMAIN.test(domain)) throw new HttpError(422, { error: `invalid shop domain ${domain}` });
    const existing = this.shops.get(domain);
    if (existing) return existing;
    const shop = new ShopState(domain, plan.bucketSize ?? this.options.bucketSize, plan.restoreRate ?? this.options.restoreRate);
    this.shops.set(domain, shop);
    return shop;
  }

  shop(domain: string): ShopState {
    const shop = this.shops.get(domain);
    if (!shop) throw new HttpError(404, { errors: 'Not Found' });
    return shop;
  }

  createOrder(
    domain: string,
    input: { lineItems: Array<Partial<LineItem> & { quantity: number }>; financialStatus?: Order['financialStatus']; at?: string; email?: string | null },
  ): Order {
    const shop = this.shop(domain);
    const now = input.at ?? new Date().toISOString();
    const number = 1000 + shop.orders.size + 1;
    const order: Order = {
      id: nextBigId(),
      name: `#${number}`,
      orderNumber: number,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      email: input.email === undefined ? `buyer${number}@example.com` : input.email,
      financialStatus: input.financialStatus ?? 'paid',
      cancelReason: null,
      lineItems: input.lineItems.map((item) => newLine(item, shop.primaryLocationId)),
      refunds: [],
      fulfillments: [],
      heldLocations: [],
    };
    shop.orders.set(order.id, order);
    this.webhooks.emit(shop, 'orders/create', orderPayload(order, this.options.apiVersion));
    if (order.financialStatus === 'paid') this.webhooks.emit(shop, 'orders/paid', orderPayload(order, this.options.apiVersion));
    return order;
  }

  updateOrder(domain: string, id: bigint, change: { cancel?: boolean; restock?: boolean; financialStatus?: Order['financialStatus'] }): Order {
    const { shop, order, now } = this.touch(domain, id);
    if (change.financialStatus) order.financialStatus = change.financialStatus;
    if (change.cancel) {
      const refund = this.lifecycle(() => cancelOrder(order, change.restock ?? true, now));
      this.webhooks.emit(shop, 'orders/cancelled', orderPayload(order, this.options.apiVersion));
      if (refund) this.webhooks.emit(shop, 'refunds/create', refundPayload(order, refund, this.options.apiVersion));
    }
    this.webhooks.emit(shop, 'orders/updated', orderPayload(order, this.options.apiVersion));
    return order;
  }

  /** An order edit: orders/edited (additions and removals only), then orders/updated with the new quantities. */
  editOrder(domain: string, id: bigint, input: EditInput): Order {
    const { shop, order, now } = this.touch(domain, id);
    const edit = this.lifecycle(() => editOrder(order, input));
    this.webhooks.emit(shop, 'orders/edited', editPayload(order, edit, now, this.options.apiVersion));
    this.webhooks.emit(shop, 'orders/updated', orderPayload(order, this.options.apiVersion));
    return order;
  }

  /** A refund: refunds/create, then orders/updated with the lowered current quantities. */
  refundOrder(domain: string, id: bigint, input: RefundInput): Order {
    const { shop, order, now } = this.touch(domain, id);
    const refund = this.lifecycle(() => refundOrder(order, input, now));
    this.webhooks.emit(shop, 'refunds/create', refundPayload(order, refund, this.options.apiVersion));
    this.webhooks.emit(shop, 'orders/updated', orderPayload(order, this.options.apiVersion));
    return order;
  }

  /** Units each SKU is held out of stock by the shop's orders, by the emulator's own record. */
  heldBySku(domain: string): Record<string, number> {
    return heldBySku(this.shop(domain).orders.values());
  }

  private touch(domain: string, id: bigint) {
    const shop = this.shop(domain);
    const order = shop.orders.get(id);
    if (!order) throw new HttpError(404, { errors: 'Not Found' });
    const now = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
    order.updatedAt = now;
    return { shop, order, now };
  }

  private lifecycle<T>(change: () => T): T {
    try {
      return change();
    } catch (error) {
      if (error instanceof OrderLifecycleError) throw new HttpError(422, { errors: error.message });
      throw error;
    }
  }

  /** The merchant removes the app: tokens are revoked and app/uninstalled is sent. */
  uninstall(domain: string): void {
    const shop = this.shop(domain);
    shop.installed = false;
    this.webhooks.emit(shop, 'app/uninstalled', { id: 1, name: shop.name, domain: shop.domain, myshopify_domain: shop.domain });
    shop.tokens.clear();
    shop.refreshTokens.clear();
    shop.webhookSubscriptions.clear();
  }

  /** The shop's catalogue with each variant's available quantity: what a test compares with the POS. */
  products(domain: string) {
    const shop = this.shop(domain);
    return [...shop.products.values()].map((product) => ({
      id: product.id,
      title: product.title,
      status: product.status,
      variants: product.variantIds.map((id) => {
        const variant = shop.variants.get(id)!;
        const byLocation = Object.fromEntries(shop.locations.map((l) => [l.id, shop.level(variant.inventoryItemId, l.id)]));
        return { id: variant.id, sku: variant.sku, price: variant.price, inventoryItemId: variant.inventoryItemId, available: shop.level(variant.inventoryItemId), byLocation };
      }),
    }));
  }

  injectFault(fault: Omit<Fault, 'remaining'> & { count?: number }): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  setWebhookBehaviour(change: Partial<WebhookBehaviour>): WebhookBehaviour {
    this.webhooks.behaviour = { ...this.webhooks.behaviour, ...change };
    return this.webhooks.behaviour;
  }

  reset(): void {
    this.shops.clear();
    this.faults.length = 0;
    this.webhooks.stop();
    this.webhooks.deliveries.length = 0;
    this.webhooks.behaviour = { ...DEFAULT_BEHAVIOUR };
    this.stats = emptyStats();
  }

  // ----- HTTP -----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const body = await readBody(req);
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] === '_control') return send(res, 200, await this.control(req.method ?? 'GET', parts.slice(1), body));
      const [domain, admin, ...rest] = parts;
      if (!domain || admin !== 'admin') throw new HttpError(404, { errors: 'Not Found' });
      const target: FaultTarget = rest[0] === 'oauth' ? 'oauth' : 'graphql';
      if (await this.applyFault(target, domain, res)) return;
      if (rest[0] === 'oauth' && rest[1] === 'authorize' && req.method === 'GET') return this.authorize(domain, url, res);
      if (rest[0] === 'oauth' && rest[1] === 'access_token' && req.method === 'POST') {
        return send(res, 200, this.accessToken(domain, body, req.headers['content-type']));
      }
      if (rest[0] === 'api' && rest[2] === 'graphql.json' && req.method === 'POST') {
        return await this.graphql(domain, req, body, res);
      }
      throw new HttpError(404, { errors: 'Not Found' });
    } catch (error) {
      if (error instanceof HttpError) return send(res, error.status, error.body);
      send(res, 500, { errors: error instanceof Error ? error.message : String(error) });
    }
  }

  private async applyFault(target: FaultTarget, domain: string, res: ServerResponse): Promise<boolean> {
    const fault = this.faults.find((f) => f.remaining > 0 && f.kind !== 'lost_answer' && !f.field && (f.target === 'all' || f.target === target) && (!f.shop || f.shop === domain));
    if (!fault) return false;
    fault.remaining--;
    this.stats.faultsInjected++;
    switch (fault.kind) {
      case 'slow':
        await sleep(fault.delayMs ?? 2000);
        return false;
      case 'timeout':
        await sleep(fault.delayMs ?? 30_000);
        res.destroy();
        return true;
      case 'reset':
      case 'lost_answer':
        res.destroy();
        return true;
      case 'status': {
        const status = fault.status ?? 500;
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        send(res, status, status === 429 ? { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' } : { errors: 'Internal Server Error' }, headers);
        return true;
      }
    }
  }

  private authorize(domain: string, url: URL, res: ServerResponse): void {
    const shop = this.shop(domain);
    const clientId = url.searchParams.get('client_id');
    const redirectUri = url.searchParams.get('redirect_uri');
    const state = url.searchParams.get('state');
    const scope = url.searchParams.get('scope') ?? '';
    if (clientId !== this.options.apiKey) throw new HttpError(400, { error: 'invalid_request', error_description: 'Oauth error invalid_request: The client_id is invalid' });
    if (!redirectUri) throw new HttpError(400, { error: 'invalid_request', error_description: 'redirect_uri is required' });
    const code = randomToken('code');
    shop.codes.set(code, { scope, used: false, issuedAt: Date.now() });
    shop.installed = true;
    const params: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.name}`).toString('base64url'),
      shop: domain,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    if (state !== null) params.state = state;
    params.hmac = signOAuthQuery(params, this.options.apiSecret);
    const location = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) location.searchParams.set(key, value);
    res.writeHead(302, { location: location.toString() }).end();
  }

  private accessToken(domain: string, raw: Buffer, contentType: string | undefined): unknown {
    const shop = this.shop(domain);
    const body: Record<string, string> = contentType?.includes('json')
      ? (JSON.parse(raw.toString('utf8') || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    if (body.client_id !== this.options.apiKey || body.client_secret !== this.options.apiSecret) {
      throw new HttpError(400, { error: 'invalid_client', error_description: 'Client credentials are invalid' });
    }
    this.stats.tokenExchanges++;
    if (body.grant_type === 'refresh_token') {
      const refresh = body.refresh_token ? shop.refreshTokens.get(body.refresh_token) : undefined;
      if (!refresh || refresh.expiresAt < Date.now()) {
        throw new HttpError(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' });
      }
      shop.refreshTokens.delete(body.refresh_token);
      return this.issueToken(shop, refresh.scope, true);
    }
    const code = body.code ? shop.codes.get(body.code) : undefined;
    if (!code || code.used || Date.now() - code.issuedAt > 10 * 60_000) {
      throw new HttpError(400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
    }
    code.used = true;
    return this.issueToken(shop, code.scope, body.expiring === '1' || String(body.expiring) === '1');
  }

  private issueToken(shop: ShopState, scope: string, expiring: boolean) {
    const token = randomToken('shpat');
    const ttl = this.options.accessTokenTtlSeconds;
    shop.tokens.set(token, { token, scope, expiresAt: expiring ? Date.now() + ttl * 1000 : null });
    if (!expiring) return { access_token: token, scope };
    const refreshToken = randomToken('shprt');
    const refreshTtl = 90 * 24 * 3600;
    shop.refreshTokens.set(refreshToken, { expiresAt: Date.now() + refreshTtl * 1000, scope });
    return { access_token: token, scope, expires_in: ttl, refresh_token: refreshToken, refresh_token_expires_in: refreshTtl };
  }

  private async graphql(domain: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const shop = this.shop(domain);
    const token = req.headers['x-shopify-access-token'];
    const access = typeof token === 'string' ? shop.tokens.get(token) : undefined;
    if (!access || (access.expiresAt !== null && access.expiresAt < Date.now())) {
      throw new HttpError(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    this.stats.graphqlRequests++;
    let request: { query?: unknown; variables?: unknown };
    try {
      request = JSON.parse(raw.toString('utf8')) as typeof request;
    } catch {
      throw new HttpError(400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    if (typeof request.query !== 'string') throw new HttpError(400, { errors: { query: 'Required parameter missing or invalid' } });
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    let document = this.parsed.get(request.query);
    if (!document) {
      try {
        document = parse(request.query);
      } catch (error) {
        return send(res, 200, { errors: [{ message: (error as GraphQLError).message }] });
      }
      const problems = validateAgainstShopify(this.schema, document);
      if (problems.length > 0) {
        return send(res, 200, { errors: problems.map((p) => ({ message: p.message, locations: p.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
      }
      this.parsed.set(request.query, document);
    }

    const cost = requestedQueryCost(this.schema, document, variables);
    if (cost > shop.bucket.maximumAvailable) {
      return send(res, 200, {
        errors: [{ message: `Query cost is ${cost}, which exceeds the single query max cost limit (${shop.bucket.maximumAvailable}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: shop.bucket.maximumAvailable } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      });
    }
    if (!shop.bucket.take(cost)) {
      this.stats.graphqlThrottled++;
      return send(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      });
    }
    this.count(document);
    const status = {
      scopes: access.scope.split(',').map((s) => s.trim()),
      apiVersion: this.options.apiVersion,
      cancelJobMs: this.options.cancelJobMs,
      changed: (order: Order, topics: string[], refund?: Refund | null) => {
        for (const topic of topics) this.webhooks.emit(shop, topic, topic === 'refunds/create' && refund ? refundPayload(order, refund, this.options.apiVersion) : orderPayload(order, this.options.apiVersion));
      },
    };
    const result = await execute({ schema: this.schema, document, rootValue: createRoot(shop, this.idempotency, status), variableValues: variables });
    if (result.data === undefined && result.errors) {
      // Variables that do not coerce to the schema's input types: Shopify charges nothing and names the problem.
      shop.bucket.refund(cost);
      return send(res, 200, { errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'INVALID_VARIABLE' } })) });
    }
    if (this.loseAnswer(domain, document)) {
      res.destroy();
      return;
    }
    const measured = actualQueryCost(this.schema, document, result.data);
    const actual = measured < 0 ? cost : Math.min(cost, measured);
    shop.bucket.refund(cost - actual);
    send(res, 200, {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) } : {}),
      extensions: { cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: shop.bucket.status() } },
    });
  }

  private loseAnswer(domain: string, document: DocumentNode): boolean {
    const fields = rootFields(document);
    const fault = this.faults.find((f) => f.remaining > 0 && f.kind === 'lost_answer' && (!f.shop || f.shop === domain) && (!f.field || fields.includes(f.field)));
    if (!fault) return false;
    fault.remaining--;
    this.stats.faultsInjected++;
    return true;
  }

  private count(document: DocumentNode): void {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const bucket = definition.operation === OperationTypeNode.MUTATION ? this.stats.mutations : this.stats.queries;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind === Kind.FIELD) bucket[selection.name.value] = (bucket[selection.name.value] ?? 0) + 1;
      }
    }
  }

  // ----- control API: tests, benchmarks and the demo drive the emulator through it -----

  private async control(method: string, path: string[], raw: Buffer): Promise<unknown> {
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const [resource, domain, sub, id, action] = path;
    const route = `${method} ${resource ?? ''}${domain ? '/:shop' : ''}${sub ? `/${sub}` : ''}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;
    switch (route) {
      case 'POST reset':
        this.reset();
        return { ok: true };
      case 'GET stats':
        return this.stats;
      case 'POST faults':
        this.injectFault(body as unknown as Fault & { count?: number });
        return { ok: true, faults: this.faults };
      case 'DELETE faults':
        this.faults.length = 0;
        return { ok: true };
      case 'PUT webhooks':
        return this.setWebhookBehaviour(body);
      case 'GET webhooks':
        return { behaviour: this.webhooks.behaviour, deliveries: this.webhooks.deliveries.map(({ body: _b, ...rest }) => rest) };
      case 'POST webhooks/idle':
        await this.webhooks.idle();
        return { ok: true };
      case 'POST shops':
        return shopView(this.createShop(String(body.shop), body));
      case 'GET shops/:shop':
        return shopView(this.shop(domain));
      case 'GET shops/:shop/webhooks':
        return [...this.shop(domain).webhookSubscriptions.values()];
      case 'POST shops/:shop/orders':
        return this.createOrder(domain, body as Parameters<ShopifyEmulator['createOrder']>[1]);
      case 'GET shops/:shop/orders':
        return [...this.shop(domain).orders.values()];
      case 'POST shops/:shop/orders/:id/cancel':
        return this.updateOrder(domain, orderId(id), { cancel: true, restock: body.restock !== false });
      case 'POST shops/:shop/orders/:id/edit':
        return this.editOrder(domain, orderId(id), body);
      case 'POST shops/:shop/orders/:id/refund':
        return this.refundOrder(domain, orderId(id), body as unknown as RefundInput);
      case 'POST shops/:shop/orders/:id/hold': {
        const order = this.shop(domain).orders.get(orderId(id));
        if (!order) throw new HttpError(404, { errors: 'Not Found' });
        order.heldLocations = body.held === false ? [] : [Number(body.locationId ?? this.shop(domain).primaryLocationId)];
        return order;
      }
      case 'GET shops/:shop/held':
        return this.heldBySku(domain);
      case 'POST shops/:shop/orders/:id/update':
        return this.updateOrder(domain, orderId(id), body);
      case 'PUT shops/:shop/inventory': {
        const shop = this.shop(domain);
        const variant = [...shop.variants.values()].find((v) => v.sku === body.sku);
        if (!variant) throw new HttpError(404, { error: `no variant with sku ${String(body.sku)}` });
        shop.setLevel(variant.inventoryItemId, Number(body.available), body.locationId === undefined ? undefined : Number(body.locationId));
        return { ok: true };
      }
      case 'GET shops/:shop/collections':
        return [...this.shop(domain).collections.values()].map((c) => ({ id: c.id, title: c.title, productIds: [...collectionProducts(c)] }));
      case 'GET shops/:shop/products':
        return this.products(domain);
      case 'PUT shops/:shop/rejected-skus':
        this.shop(domain).rejectedSkus.clear();
        for (const sku of (body.skus as string[] | undefined) ?? []) this.shop(domain).rejectedSkus.add(sku);
        return { ok: true };
      case 'POST shops/:shop/uninstall':
        this.uninstall(domain);
        return { ok: true };
      default:
        throw new HttpError(404, { error: `no control route ${route}` });
    }
  }
}

function rootFields(document: DocumentNode): string[] {
  return document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) : []));
}

function orderId(text: string | undefined): bigint {
  if (!text || !/^\d{1,20}$/.test(text)) throw new HttpError(404, { errors: 'Not Found' });
  return BigInt(text);
}

function shopView(shop: ShopState) {
  return {
    shop: shop.domain,
    installed: shop.installed,
    bucket: shop.bucket.status(),
    webhookSubscriptions: shop.webhookSubscriptions.size,
    orders: shop.orders.size,
    locations: shop.locations.map((l) => ({ ...l, gid: gid('Location', l.id), primary: l.id === shop.primaryLocationId })),
  };
}

/**
 * The order payload Shopify sends with orders/* webhooks: its published example for the API version (every
 * field Shopify sends), with this order's identity, dates, status, lines and totals written over it.
 */
export function orderPayload(order: Order, apiVersion = '2026-10') {
  const example = webhookExample('orders/create', apiVersion);
  const lineTemplate = (example.line_items as Array<Record<string, unknown>>)[0];
  const total = order.lineItems.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0).toFixed(2);
  return {
    ...example,
    id: order.id,
    admin_graphql_api_id: gid('Order', order.id),
    name: order.name,
    order_number: order.orderNumber,
    number: order.orderNumber - 1000,
    created_at: order.createdAt,
    processed_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    email: order.email ?? '',
    contact_email: order.email,
    customer: example.customer ? { ...(example.customer as Record<string, unknown>), email: order.email } : null,
    financial_status: order.financialStatus,
    fulfillment_status: { unfulfilled: null, partial: 'partial', fulfilled: 'fulfilled' }[fulfillmentStatus(order)],
    cancel_reason: order.cancelReason,
    fulfillments: order.fulfillments.map((f) => ({
      id: f.id,
      admin_graphql_api_id: gid('Fulfillment', f.id),
      order_id: order.id,
      status: 'success',
      created_at: f.createdAt,
      location_id: f.locationId,
      tracking_company: f.tracking?.company ?? null,
      tracking_number: f.tracking?.number ?? null,
      tracking_numbers: f.tracking?.number ? [f.tracking.number] : [],
      tracking_url: f.tracking?.url ?? null,
      tracking_urls: f.tracking?.url ? [f.tracking.url] : [],
      line_items: f.lines.map((l) => ({ id: l.lineItemId, quantity: l.quantity })),
    })),
    test: false,
    subtotal_price: total,
    current_subtotal_price: total,
    total_line_items_price: total,
    total_price: total,
    current_total_price: total,
    line_items: order.lineItems.map((item) => ({
      ...structuredClone(lineTemplate),
      id: item.id,
      admin_graphql_api_id: gid('LineItem', item.id),
      variant_id: item.variantId,
      product_id: item.productId,
      product_exists: item.productId !== null,
      sku: item.sku,
      title: item.title,
      name: item.title,
      quantity: item.quantity,
      current_quantity: item.currentQuantity,
      fulfillable_quantity: remainingQuantity(item),
      fulfillment_status: item.fulfilledQuantity === 0 ? null : remainingQuantity(item) === 0 ? 'fulfilled' : 'partial',
      price: item.price,
    })),
    refunds: order.refunds.map((refund) => refundPayload(order, refund, apiVersion)),
  };
}

export const ORDER_TOPICS = Object.values(TOPIC_TO_REST);

function emptyStats(): EmulatorStats {
  return { graphqlRequests: 0, graphqlThrottled: 0, mutations: {}, queries: {}, faultsInjected: 0, tokenExchanges: 0 };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = controlJson(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
