import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { backoffMs, retryAfterMs } from '../shopify/retry-policy.js';

export interface WooStore {
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
}

const ATTEMPTS = 4;
const TIMEOUT_MS = 20_000;
export const WOO_PAGE_SIZE = 100;
const POLLED_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash'];

/** A store answered, but not as hoped: the status tells whether it is the credentials, the URL or the store. */
export class WooRequestError extends DomainError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(status === 401 || status === 403 || status === 404 ? 'unprocessable' : 'upstream_failed', message);
    this.name = 'WooRequestError';
  }
}

/**
 * WooCommerce's REST API v3 at the store URL it was given, with HTTP Basic auth (consumer key and secret).
 * 429 and 5xx (and timeouts) are retried with backoff, honouring Retry-After.
 */
@Injectable()
export class WooCommerceClient {
  private readonly logger = new Logger('WooCommerceClient');

  /** Checks the credentials: 401/403 name the keys, 404 the URL. */
  async check(store: WooStore): Promise<void> {
    await this.request(store, 'GET', '/orders', { per_page: '1' });
  }

  async ordersPage(store: WooStore, modifiedAfter: Date, page: number): Promise<{ orders: Array<Record<string, unknown>>; totalPages: number }> {
    const { body, headers } = await this.request(store, 'GET', '/orders', {
      modified_after: modifiedAfter.toISOString().replace(/\.\d{3}Z$/, ''),
      dates_are_gmt: 'true',
      // Trashed orders too (the default leaves them out): a trash whose webhook was lost must still return the stock.
      status: POLLED_STATUSES.join(','),
      orderby: 'modified',
      order: 'asc',
      per_page: String(WOO_PAGE_SIZE),
      page: String(page),
    });
    if (!Array.isArray(body)) throw new WooRequestError(502, `${store.storeUrl} answered the orders list with something that is not a list`);
    return { orders: body as Array<Record<string, unknown>>, totalPages: Number(headers.get('x-wp-totalpages') ?? '1') || 1 };
  }

  /** One order, or null when the store no longer has it. */
  async order(store: WooStore, id: string): Promise<Record<string, unknown> | null> {
    try {
      return (await this.request(store, 'GET', `/orders/${encodeURIComponent(id)}`)).body as Record<string, unknown>;
    } catch (error) {
      if (error instanceof WooRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /** PUT /orders/:id: a status, or `set_paid` (payment_complete: date_paid, and pending becomes processing). Repeating it changes nothing more. */
  async updateOrder(store: WooStore, id: string, change: { status?: string; set_paid?: boolean }): Promise<Record<string, unknown>> {
    return (await this.request(store, 'PUT', `/orders/${encodeURIComponent(id)}`, undefined, change)).body as Record<string, unknown>;
  }

  /** An order note; `customerNote` e-mails it to the customer. */
  async addNote(store: WooStore, id: string, note: string, customerNote: boolean): Promise<Record<string, unknown>> {
    return (await this.request(store, 'POST', `/orders/${encodeURIComponent(id)}/notes`, undefined, { note, customer_note: customerNote })).body as Record<string, unknown>;
  }

  async refunds(store: WooStore, orderId: string): Promise<unknown[]> {
    const { body } = await this.request(store, 'GET', `/orders/${encodeURIComponent(orderId)}/refunds`, { per_page: '100' });
    return Array.isArray(body) ? (body as unknown[]) : [];
  }

  async createWebhook(store: WooStore, input: { name: string; topic: string; deliveryUrl: string; secret: string }): Promise<number> {
    const { body } = await this.request(store, 'POST', '/webhooks', undefined, {
      name: input.name,
      topic: input.topic,
      delivery_url: input.deliveryUrl,
      secret: input.secret,
      status: 'active',
    });
    const id = (body as { id?: unknown }).id;
    if (typeof id !== 'number') throw new WooRequestError(502, `${store.storeUrl} created the ${input.topic} webhook without an id`);
    return id;
  }

  async deleteWebhook(store: WooStore, id: number): Promise<void> {
    await this.request(store, 'DELETE', `/webhooks/${id}`, { force: 'true' });
  }

  private async request(store: WooStore, method: string, path: string, query?: Record<string, string>, json?: unknown): Promise<{ body: unknown; headers: Headers }> {
    const url = new URL(`${store.storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3${path}`);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    const authorization = `Basic ${Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64')}`;
    let lastError: Error | null = null;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { authorization, accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
          body: json === undefined ? undefined : JSON.stringify(json),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        lastError = new WooRequestError(503, `${store.storeUrl} could not be reached (${(error as Error).message})`);
        await sleep(backoffMs(attempt));
        continue;
      }
      const text = await response.text();
      if (response.ok) return { body: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
      const message = errorMessage(store, method, path, response.status, text);
      if (response.status !== 429 && response.status < 500) throw new WooRequestError(response.status, message);
      lastError = new WooRequestError(response.status, message);
      this.logger.warn({ store: store.storeUrl, path, status: response.status, attempt }, 'WooCommerce request failed; retrying');
      await sleep(retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt));
    }
    throw lastError ?? new WooRequestError(503, `${store.storeUrl} did not answer`);
  }
}

function errorMessage(store: WooStore, method: string, path: string, status: number, text: string): string {
  let detail: string;
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    detail = typeof message === 'string' ? message : '';
  } catch {
    detail = text.slice(0, 200);
  }
  const hint =
    status === 401 || status === 403
      ? 'the consumer key or secret is wrong, or lacks read/write permission'
      : status === 404
        ? 'no WooCommerce REST API at this store URL (check the URL and that permalinks are enabled)'
        : `the store answered ${status}`;
  return `WooCommerce ${method} ${path} at ${store.storeUrl}: ${hint}${detail ? ` (${detail})` : ''}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
