import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownSignal } from '../../common/lifecycle/shutdown-signal.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { BucketEstimates } from './bucket-estimates.js';
import { ShopifyAuthError, ShopifyRequestError, ShopifyUnavailableError } from './shopify-errors.js';
import { backoffMs, refillWaitMs, retryAfterMs, type ThrottleStatus } from './retry-policy.js';
import { shopBaseUrl } from './shop-domain.js';

export interface ShopSession {
  shop: string;
  accessToken: string;
}

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

interface GraphqlBody<T> {
  data?: T;
  errors?: GraphqlError[] | string;
  extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus } };
}

export interface RequestOptions {
  /** Attempts for 429, 5xx and network failures (THROTTLED answers have their own, larger allowance). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** The requested cost the caller expects, so that even the first call of a new page size is paced. */
  expectedCost?: number;
}

const MAX_THROTTLED_RETRIES = 30;
/** What a query never sent before is assumed to cost, so that it too waits for room in a drained bucket. */
const UNKNOWN_QUERY_COST = 50;

/**
 * The one way to call Shopify's GraphQL Admin API. It paces each shop by the cost bucket Shopify reports
 * (waiting before a query the bucket cannot pay for), retries THROTTLED, 429 (Retry-After, in seconds),
 * 5xx and network errors with backoff and jitter, and gives up with a typed error that says what happened.
 */
@Injectable()
export class ShopifyGraphqlClient implements OnModuleDestroy {
  private readonly logger = new Logger('ShopifyGraphql');
  private readonly buckets: BucketEstimates;
  private readonly knownCosts = new Map<string, number>();
  private nextTicket = 1;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownSignal,
    private readonly metrics: MetricsService,
  ) {
    // One bucket per app and shop: threads of this process talking to the same Shopify as the same app share it.
    this.buckets = new BucketEstimates(`pos-ecommerce:shopify-cost:${config.shopify.apiKey ?? ''}:${config.shopify.shopUrlTemplate}`);
  }

  onModuleDestroy(): void {
    this.buckets.close();
  }

  async request<T>(session: ShopSession, query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<T> {
    const maxAttempts = options.maxAttempts ?? 6;
    const url = `${shopBaseUrl(this.config.shopify.shopUrlTemplate, session.shop)}/admin/api/${this.config.shopify.apiVersion}/graphql.json`;
    const body = JSON.stringify({ query, variables });
    // A query's requested cost depends on its page size: the same text with another `first` costs something else.
    const costKey = `${query}\u0000${typeof variables.first === 'number' ? variables.first : ''}`;
    let failures = 0;
    let throttles = 0;
    let lastProblem: string;
    let lastStatus: number | null;

    for (;;) {
      this.shutdown.throwIfShuttingDown();
      const ticket = await this.pace(session.shop, costKey, options.expectedCost);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': session.accessToken },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 20_000), this.shutdown.signal]),
        });
      } catch (error) {
        this.release(session.shop, ticket);
        this.shutdown.throwIfShuttingDown();
        this.metrics.shopifyCalls.inc({ outcome: 'network' });
        lastProblem = `network error: ${describe(error)}`;
        lastStatus = null;
        if (++failures >= maxAttempts) break;
        await this.wait(session.shop, backoffMs(failures - 1), lastProblem);
        continue;
      }

      if (response.status === 401 || response.status === 403) {
        this.release(session.shop, ticket);
        this.metrics.shopifyCalls.inc({ outcome: 'auth' });
        await response.body?.cancel();
        throw new ShopifyAuthError(`Shopify refused the access token for ${session.shop} (HTTP ${response.status})`);
      }
      if (response.status === 429 || response.status >= 500) {
        this.release(session.shop, ticket);
        this.metrics.shopifyCalls.inc({ outcome: response.status === 429 ? 'http_429' : 'http_5xx' });
        if (response.status === 429) this.metrics.shopifyThrottles.inc();
        lastStatus = response.status;
        lastProblem = `HTTP ${response.status}`;
        const retryAfter = response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : null;
        await response.body?.cancel();
        if (++failures >= maxAttempts) break;
        await this.wait(session.shop, retryAfter ?? backoffMs(failures - 1), lastProblem);
        continue;
      }

      const answer = (await response.json().catch(() => ({}))) as GraphqlBody<T>;
      if (!response.ok) {
        this.release(session.shop, ticket);
        this.metrics.shopifyCalls.inc({ outcome: 'error' });
        throw new ShopifyRequestError(`Shopify answered HTTP ${response.status}: ${errorText(answer.errors)}`, answer.errors);
      }
      const cost = answer.extensions?.cost;
      if (cost) this.observe(session.shop, costKey, cost.requestedQueryCost, cost.throttleStatus, ticket);
      else this.release(session.shop, ticket);
      const errors = Array.isArray(answer.errors) ? answer.errors : [];
      if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
        this.metrics.shopifyCalls.inc({ outcome: 'throttled' });
        this.metrics.shopifyThrottles.inc();
        if (++throttles > MAX_THROTTLED_RETRIES) {
          lastProblem = 'THROTTLED';
          lastStatus = 200;
          break;
        }
        const wait = cost ? refillWaitMs(cost.requestedQueryCost, cost.throttleStatus) : backoffMs(throttles);
        await this.wait(session.shop, wait + Math.round(Math.random() * 100), 'THROTTLED');
        continue;
      }
      this.metrics.shopifyCalls.inc({ outcome: answer.errors ? 'error' : 'ok' });
      if (answer.errors) {
        throw new ShopifyRequestError(`Shopify GraphQL error: ${errorText(answer.errors)}`, answer.errors);
      }
      return answer.data as T;
    }
    throw new ShopifyUnavailableError(
      `Shopify (${session.shop}) kept failing: ${lastProblem} after ${failures + throttles} attempts`,
      failures + throttles,
      lastStatus,
    );
  }

  /** The shop's largest allowed query cost, as Shopify last reported it. */
  maximumAvailable(shop: string): number | null {
    return this.buckets.get(shop)?.status.maximumAvailable ?? null;
  }

  /**
   * Waits until the bucket, as Shopify last reported it plus what has refilled since, minus what this thread's
   * requests ahead of this one have reserved, can pay for the query. Its points are reserved at once, so that
   * concurrent callers queue behind it. The wait is checked again when it is over: meanwhile another thread may
   * have reported the bucket lower than this one expected. Returns the reservation's ticket (null: not paced).
   */
  private async pace(shop: string, costKey: string, expectedCost?: number): Promise<number | null> {
    const first = this.buckets.get(shop);
    if (!first) return null;
    const cost = this.knownCosts.get(costKey) ?? expectedCost ?? UNKNOWN_QUERY_COST;
    const ticket = this.nextTicket++;
    first.reservations.set(ticket, cost);
    for (;;) {
      const { status, at, reservations } = this.buckets.get(shop)!;
      let ahead = 0;
      for (const [other, points] of reservations) {
        if (other === ticket) break;
        ahead += points;
      }
      const { maximumAvailable, restoreRate } = status;
      const refilled = status.currentlyAvailable + ((Date.now() - at) / 1000) * restoreRate;
      const available = Math.min(maximumAvailable, refilled) - ahead;
      // Shopify measures the bucket a moment before we read its answer, and floors it: wait for a sliver more
      // (50 ms of refill), or a query that needs nearly the whole bucket is THROTTLED by a fraction of a point.
      const margin = Math.max(1, restoreRate * 0.05);
      const wait = refillWaitMs(cost + margin, { maximumAvailable, restoreRate, currentlyAvailable: available });
      if (wait <= 0) return ticket;
      try {
        await sleep(wait, undefined, { signal: this.shutdown.signal });
      } catch (error) {
        this.release(shop, ticket);
        throw error;
      }
    }
  }

  /** A request that Shopify never charged for (429, 5xx, network error) gives its reservation back. */
  private release(shop: string, ticket: number | null): void {
    if (ticket !== null) this.buckets.get(shop)?.reservations.delete(ticket);
  }

  /** An answer replaces the estimate; the request's own reservation is over, its real cost is in the answer. */
  private observe(shop: string, costKey: string, requested: number, status: ThrottleStatus, ticket: number | null): void {
    this.release(shop, ticket);
    // An answer whose cost report is incomplete (no bucket figures) paces nothing and must not break the call.
    const complete = [requested, status?.currentlyAvailable, status?.maximumAvailable, status?.restoreRate].every((n) => typeof n === 'number' && Number.isFinite(n));
    if (!complete) return;
    this.knownCosts.set(costKey, requested);
    this.buckets.observe(shop, status);
    try {
      this.metrics.shopifyBucket.set({ shop }, status.currentlyAvailable);
      this.metrics.shopifyBucketMaximum.set({ shop }, status.maximumAvailable);
    } catch (error) {
      // A metric is an observation: failing to record one never fails the Shopify call it describes.
      this.logger.warn({ shop, err: error }, 'Could not record the Shopify cost bucket in /metrics');
    }
  }

  private async wait(shop: string, ms: number, reason: string): Promise<void> {
    this.logger.debug({ shop, waitMs: ms, reason }, 'Retrying Shopify call');
    await sleep(ms, undefined, { signal: this.shutdown.signal });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function errorText(errors: GraphqlError[] | string | undefined): string {
  if (!errors) return 'no details';
  if (typeof errors === 'string') return errors;
  return errors.map((e) => e.message).join('; ');
}
