import { Injectable } from '@nestjs/common';
import { AccessTokenService, ConnectionUnusableError } from '../connection/access-token.service.js';
import { ConnectionService } from '../connection/connection.service.js';
import { ShopifyAuthError, ShopifyRequestError } from '../shopify/shopify-errors.js';
import type { ShopSession } from '../shopify/shopify-graphql.client.js';
import { ShopifyOrdersClient } from '../shopify/shopify-orders.client.js';
import { ShopifyStatusClient, type FulfillmentInput, type UserError } from '../shopify/shopify-status.client.js';
import type { StoredRequest } from './status-request.repository.js';
import { JOB_CHECK_DELAYS_MS, missingScopes, planFulfillment, type CancelBody, type FulfillmentBody, type StatusAction } from './status-rules.js';
import type { AttemptResult, StatusTarget, TargetOrder } from './status-target.js';

const refusedBy = (errors: UserError[]) => `Shopify refused: ${errors.map((e) => e.message.replace(/\.$/, '')).join('; ')}`;

/** Shopify: fulfillmentCreate on the order's fulfillment orders, orderMarkAsPaid, orderCancel followed to its job's end. */
@Injectable()
export class ShopifyStatusTarget implements StatusTarget {
  readonly provider = 'shopify';

  constructor(
    private readonly connections: ConnectionService,
    private readonly tokens: AccessTokenService,
    private readonly status: ShopifyStatusClient,
    private readonly orders: ShopifyOrdersClient,
  ) {}

  async readiness(connectionId: string, action: StatusAction): Promise<string | null> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return `the Shopify connection of this order is ${connection?.status ?? 'gone'}: reconnect the shop first`;
    const missing = missingScopes(action, connection.scopes.split(',').filter(Boolean));
    if (missing.length > 0) return `reconnect the shop to grant ${missing.join(', ')}: the connection was made without ${missing.length > 1 ? 'these scopes' : 'this scope'}, which ${action === 'fulfillment' ? 'fulfilment' : action === 'mark_paid' ? 'marking orders paid' : 'cancelling orders'} needs (POST /ecommerce/connect upgrades it in place)`;
    return null;
  }

  permanent(error: unknown): string | null {
    if (error instanceof ConnectionUnusableError) return `the Shopify connection is not active any more: ${error.message}`;
    if (error instanceof ShopifyAuthError) return `${error.message}: reconnect the shop`;
    if (error instanceof ShopifyRequestError) {
      const denied = Array.isArray(error.details) && (error.details as Array<{ extensions?: { code?: string } }>).some((e) => e.extensions?.code === 'ACCESS_DENIED');
      return denied ? `Shopify refused: ${error.message.replace(/^Shopify GraphQL error: /, '')} Reconnect the shop to grant it.` : `Shopify refused the request: ${error.message}`;
    }
    return null;
  }

  async attempt(request: StoredRequest, order: TargetOrder): Promise<AttemptResult> {
    const session = await this.tokens.session(request.connectionId);
    switch (request.action) {
      case 'fulfillment':
        return this.fulfil(session, request, order);
      case 'mark_paid':
        return this.markPaid(session, request, order);
      case 'cancel':
        return this.cancel(session, request, order);
    }
  }

  private async fulfil(session: ShopSession, request: StoredRequest, order: TargetOrder): Promise<AttemptResult> {
    const body = request.body as FulfillmentBody;
    const state = await this.status.fulfillmentState(session, order.externalOrderId);
    if (!state) return { kind: 'refused', reason: 'the shop no longer has this order', answer: { order: null } };
    const answer: Record<string, unknown> = { fulfillmentOrders: state.fulfillmentOrders.map((fo) => ({ id: fo.id, status: fo.status, remaining: fo.lines.reduce((n, l) => n + l.remainingQuantity, 0) })) };
    if (request.progress.uncertain) {
      // An earlier attempt may have been applied before its answer was lost: a fulfillment made since the request
      // with its tracking number is that attempt's.
      const mine = state.fulfillments.filter((f) => Date.parse(f.createdAt) >= new Date(request.createdAt).getTime() - 1000 && (!body.trackingNumber || f.trackingInfo.some((t) => t.number === body.trackingNumber)));
      if (mine.length > 0) return { kind: 'done', result: { fulfillments: mine }, answer: { ...answer, alreadyApplied: mine.map((f) => f.id) }, readback: await this.orders.order(session, order.externalOrderId) };
    }
    if (state.cancelledAt) return { kind: 'refused', reason: 'the order was cancelled in the shop', answer };
    let plans;
    try {
      plans = planFulfillment(state.fulfillmentOrders, body.lines ?? null);
    } catch (error) {
      return { kind: 'refused', reason: (error as Error).message, answer };
    }
    const tracking = body.trackingNumber || body.trackingCompany || body.trackingUrl ? { company: body.trackingCompany, number: body.trackingNumber, url: body.trackingUrl } : undefined;
    const created: unknown[] = [];
    for (const plan of plans) {
      const input: FulfillmentInput = {
        lineItemsByFulfillmentOrder: plan.parts.map((p) => ({ fulfillmentOrderId: p.fulfillmentOrderId, fulfillmentOrderLineItems: p.lines })),
        notifyCustomer: body.notifyCustomer ?? false,
        ...(tracking ? { trackingInfo: tracking } : {}),
      };
      const result = await this.status.fulfil(session, input);
      if (result.userErrors.length > 0 || !result.fulfillment) {
        const done = created.length > 0 ? ` (fulfilled already at ${created.length} other location(s))` : '';
        return { kind: 'refused', reason: `${refusedBy(result.userErrors)}${done}`, answer: { ...answer, created, userErrors: result.userErrors } };
      }
      created.push(result.fulfillment);
    }
    return { kind: 'done', result: { fulfillments: created }, answer: { ...answer, created }, readback: await this.orders.order(session, order.externalOrderId) };
  }

  private async markPaid(session: ShopSession, request: StoredRequest, order: TargetOrder): Promise<AttemptResult> {
    if (request.progress.uncertain) {
      const now = await this.status.paymentState(session, order.externalOrderId);
      if (now?.displayFinancialStatus === 'PAID') return { kind: 'done', result: { financialStatus: 'PAID' }, answer: { order: now, alreadyApplied: true }, readback: await this.orders.order(session, order.externalOrderId) };
    }
    const result = await this.status.markPaid(session, order.externalOrderId);
    if (result.userErrors.length > 0 || !result.order) return { kind: 'refused', reason: refusedBy(result.userErrors), answer: { userErrors: result.userErrors } };
    return { kind: 'done', result: { financialStatus: result.order.displayFinancialStatus }, answer: { order: result.order }, readback: await this.orders.order(session, order.externalOrderId) };
  }

  private async cancel(session: ShopSession, request: StoredRequest, order: TargetOrder): Promise<AttemptResult> {
    const body = request.body as CancelBody;
    const { jobId } = request.progress;
    if (jobId) {
      const job = await this.status.job(session, jobId);
      const checks = (request.progress.jobChecks ?? 0) + 1;
      if (job && !job.done) {
        const afterMs = JOB_CHECK_DELAYS_MS[checks - 1];
        if (afterMs === undefined) return { kind: 'refused', reason: `Shopify's cancellation job ${jobId} did not finish after ${checks} checks`, answer: { job } };
        return { kind: 'waiting', progress: { jobId, jobChecks: checks }, afterMs, answer: { job } };
      }
      return this.cancelled(session, order, { job }, `Shopify's cancellation job ${jobId} finished without cancelling the order`);
    }
    if (request.progress.uncertain) {
      const now = await this.status.paymentState(session, order.externalOrderId);
      if (now?.cancelledAt) return this.cancelled(session, order, { order: now, alreadyApplied: true }, '');
    }
    const result = await this.status.cancel(session, order.externalOrderId, { reason: body.reason, restock: body.restock, notifyCustomer: body.notifyCustomer ?? false, staffNote: body.staffNote });
    if (result.orderCancelUserErrors.length > 0 || !result.job) return { kind: 'refused', reason: refusedBy(result.orderCancelUserErrors), answer: { orderCancelUserErrors: result.orderCancelUserErrors } };
    if (result.job.done) return this.cancelled(session, order, { job: result.job }, `Shopify's cancellation job ${result.job.id} finished without cancelling the order`);
    return { kind: 'waiting', progress: { jobId: result.job.id, jobChecks: 0 }, afterMs: JOB_CHECK_DELAYS_MS[0], answer: { job: result.job } };
  }

  /** The job is over: the order as the shop has it now says whether it worked. */
  private async cancelled(session: ShopSession, order: TargetOrder, answer: Record<string, unknown>, otherwise: string): Promise<AttemptResult> {
    const now = await this.orders.order(session, order.externalOrderId);
    if (!now?.cancelledAt) return { kind: 'refused', reason: otherwise, answer };
    return { kind: 'done', result: { cancelledAt: now.cancelledAt.toISOString(), ...answer }, answer, readback: now };
  }
}
