import { GraphQLError } from 'graphql';
import { toConnection, type ConnectionArgs } from './connection.js';
import { cancelOrder, fulfil, fulfillmentOrders, OrderLifecycleError, remainingQuantity, type FulfilInput } from './order-lifecycle.js';
import { gid, legacyBigId, nextBigId, type CancelJob, type Fulfillment, type LineItem, type Order, type Refund, type ShopState } from './state.js';

/** What the status mutations need from the emulator beyond the shop: the token's scopes and the webhooks they cause. */
export interface StatusContext {
  scopes: string[];
  apiVersion: string;
  cancelJobMs: number;
  /** A change to the order: Shopify sends these topics, in this order, with the order as it is now. */
  changed(order: Order, topics: string[], refund?: Refund | null): void;
}

/** Shopify's write scopes include the read ones. */
export const hasScope = (granted: string[], wanted: string): boolean =>
  granted.includes(wanted) || (wanted.startsWith('read_') && granted.includes(`write_${wanted.slice('read_'.length)}`));

const FULFILLMENT_ORDER_KINDS = ['merchant_managed', 'assigned', 'third_party'];
const canFulfil = (scopes: string[], access: 'read' | 'write') => FULFILLMENT_ORDER_KINDS.some((kind) => hasScope(scopes, `${access}_${kind}_fulfillment_orders`));

function accessDenied(field: string, required: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: ${required}.`, {
    extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: required },
  });
}

/** A fulfillment order's id: the order and its location, so it is stable across reads. */
const fulfillmentOrderId = (order: Order, locationId: number): bigint => order.id * 100n + BigInt(locationId);

function findOrder(shop: ShopState, id: string | null | undefined, type = 'Order'): Order | null {
  if (!id || !id.startsWith(`gid://shopify/${type}/`)) return null;
  const key = legacyBigId(id);
  return key === null ? null : (shop.orders.get(key) ?? null);
}

function findFulfillmentOrder(shop: ShopState, id: string): { order: Order; locationId: number } | null {
  if (!id.startsWith('gid://shopify/FulfillmentOrder/')) return null;
  const key = legacyBigId(id);
  if (key === null) return null;
  const order = shop.orders.get(key / 100n);
  const locationId = Number(key % 100n);
  return order && order.lineItems.some((l) => l.locationId === locationId) ? { order, locationId } : null;
}

export const fulfillmentView = (fulfillment: Fulfillment, order: Order) => ({
  id: gid('Fulfillment', fulfillment.id),
  legacyResourceId: String(fulfillment.id),
  name: `${order.name}-F${order.fulfillments.indexOf(fulfillment) + 1}`,
  createdAt: fulfillment.createdAt,
  updatedAt: fulfillment.createdAt,
  status: 'SUCCESS',
  displayStatus: 'FULFILLED',
  totalQuantity: fulfillment.lines.reduce((n, l) => n + l.quantity, 0),
  requiresShipping: true,
  location: { id: gid('Location', fulfillment.locationId) },
  trackingInfo: () => (fulfillment.tracking ? [fulfillment.tracking] : []),
});

/** The order fields that fulfilment reads: its fulfillment orders (as the token's scopes allow) and fulfillments. */
export function orderFulfillmentFields(order: Order, scopes: string[]) {
  return {
    displayFulfillmentStatus: (() => {
      const fulfilled = order.lineItems.reduce((n, l) => n + l.fulfilledQuantity, 0);
      if (fulfilled === 0) return 'UNFULFILLED';
      return order.lineItems.every((l) => remainingQuantity(l) === 0) ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
    })(),
    fulfillments: ({ first }: { first?: number | null }) => order.fulfillments.slice(0, first ?? undefined).map((f) => fulfillmentView(f, order)),
    // An app sees only the fulfillment orders its scopes allow (none without a fulfillment-order scope).
    fulfillmentOrders: (args: ConnectionArgs) =>
      toConnection(
        (canFulfil(scopes, 'read') ? fulfillmentOrders(order) : []).map((fo) => ({
          id: gid('FulfillmentOrder', fulfillmentOrderId(order, fo.locationId)),
          status: fo.status,
          assignedLocation: { location: { id: gid('Location', fo.locationId) }, name: `Location ${fo.locationId}` },
          lineItems: (lineArgs: ConnectionArgs) =>
            toConnection(
              fo.lines.map((line: LineItem) => ({
                id: gid('FulfillmentOrderLineItem', line.id),
                totalQuantity: line.currentQuantity,
                remainingQuantity: fo.status === 'CANCELLED' ? 0 : remainingQuantity(line),
                sku: line.sku,
                lineItem: { id: gid('LineItem', line.id), sku: line.sku, quantity: line.quantity, currentQuantity: line.currentQuantity },
              })),
              lineArgs,
            ),
        })),
        args,
      ),
  };
}

interface TrackingInput {
  company?: string | null;
  number?: string | null;
  numbers?: string[] | null;
  url?: string | null;
  urls?: string[] | null;
}

/** fulfillmentCreate, orderMarkAsPaid, orderCancel (with its job) and job, with Shopify's preconditions and scopes. */
export function orderStatusRoot(shop: ShopState, ctx: StatusContext) {
  const finishJob = (job: CancelJob) => {
    if (job.done || Date.now() < job.doneAt) return;
    job.done = true;
    const order = shop.orders.get(job.orderId);
    if (!order || order.cancelledAt) return;
    order.updatedAt = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
    const refund = cancelOrder(order, job.restock, order.updatedAt, job.reason.toLowerCase());
    if (order.financialStatus === 'paid' && refund) order.financialStatus = 'refunded';
    ctx.changed(order, refund ? ['orders/cancelled', 'refunds/create', 'orders/updated'] : ['orders/cancelled', 'orders/updated'], refund);
  };

  return {
    fulfillmentCreate: ({ fulfillment }: { fulfillment: { lineItemsByFulfillmentOrder: Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> | null }>; notifyCustomer?: boolean | null; trackingInfo?: TrackingInput | null } }) => {
      if (!canFulfil(ctx.scopes, 'write')) throw accessDenied('fulfillmentCreate', '`write_assigned_fulfillment_orders` access scope, `write_merchant_managed_fulfillment_orders` access scope or `write_third_party_fulfillment_orders` access scope');
      const tracking = fulfillment.trackingInfo ?? null;
      if (tracking && ((tracking.url && tracking.urls) || (tracking.number && tracking.numbers))) {
        return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'trackingInfo'], message: 'Use either url or urls, and either number or numbers.' }] };
      }
      if (tracking?.url && !tracking.number) return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'trackingInfo', 'url'], message: 'A tracking URL needs a tracking number.' }] };
      let order: Order | null = null;
      const parts: FulfilInput[] = [];
      for (const part of fulfillment.lineItemsByFulfillmentOrder) {
        const found = findFulfillmentOrder(shop, part.fulfillmentOrderId);
        if (!found || (order && found.order !== order)) return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder'], message: 'Fulfillment order does not exist.' }] };
        order = found.order;
        const lines = part.fulfillmentOrderLineItems?.length
          ? part.fulfillmentOrderLineItems.map((l) => ({ lineItemId: l.id.startsWith('gid://shopify/FulfillmentOrderLineItem/') ? (legacyBigId(l.id) ?? -1n) : -1n, quantity: l.quantity }))
          : null;
        parts.push({ locationId: found.locationId, lines });
      }
      if (!order) return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder'], message: 'At least one fulfillment order is required.' }] };
      const now = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
      try {
        const created = fulfil(order, parts, tracking ? { company: tracking.company ?? null, number: tracking.number ?? null, url: tracking.url ?? null } : null, fulfillment.notifyCustomer ?? false, now);
        order.updatedAt = now;
        ctx.changed(order, ['orders/updated']);
        return { fulfillment: fulfillmentView(created, order), userErrors: [] };
      } catch (error) {
        if (error instanceof OrderLifecycleError) return { fulfillment: null, userErrors: [{ field: ['fulfillment'], message: error.message }] };
        throw error;
      }
    },

    orderMarkAsPaid: ({ input }: { input: { id: string } }) => {
      if (!hasScope(ctx.scopes, 'write_orders')) throw accessDenied('orderMarkAsPaid', '`write_orders` access scope');
      const order = findOrder(shop, input.id);
      if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
      if (order.cancelledAt) return { order: null, userErrors: [{ field: ['id'], message: 'Order has been canceled and cannot be marked as paid.' }] };
      if (order.financialStatus !== 'pending' && order.financialStatus !== 'authorized') {
        return { order: null, userErrors: [{ field: ['id'], message: 'Order cannot be marked as paid: it has no outstanding balance.' }] };
      }
      order.financialStatus = 'paid';
      order.updatedAt = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
      ctx.changed(order, ['orders/paid', 'orders/updated']);
      return { order: { id: gid('Order', order.id), displayFinancialStatus: 'PAID' }, userErrors: [] };
    },

    orderCancel: (args: { orderId: string; reason: string; restock: boolean; notifyCustomer?: boolean | null; staffNote?: string | null; refundMethod?: unknown }) => {
      if (!hasScope(ctx.scopes, 'write_orders')) throw accessDenied('orderCancel', '`write_orders` access scope');
      const refuse = (message: string, code = 'INVALID') => ({ job: null, jobResult: null, orderCancelUserErrors: [{ field: ['orderId'], message, code }] });
      const order = findOrder(shop, args.orderId);
      if (!order) return refuse('Order does not exist.', 'NOT_FOUND');
      if (order.cancelledAt || [...shop.cancelJobs.values()].some((j) => j.orderId === order.id && !j.done)) return refuse('Order has already been cancelled.');
      if (order.fulfillments.length > 0) return refuse('Cannot cancel an order that has fulfillments. Cancel the fulfillments first.');
      const job: CancelJob = { id: nextBigId(), orderId: order.id, restock: args.restock, reason: args.reason, staffNote: args.staffNote ?? null, notifyCustomer: args.notifyCustomer ?? false, doneAt: Date.now() + ctx.cancelJobMs, done: false };
      shop.cancelJobs.set(job.id, job);
      setTimeout(() => finishJob(job), ctx.cancelJobMs + 1).unref();
      return { job: { id: gid('Job', job.id), done: false }, jobResult: { id: gid('OrderCancelJobResult', job.id), done: false, status: 'STARTED', errors: [] }, orderCancelUserErrors: [] };
    },

    job: ({ id }: { id: string }) => {
      const key = id.startsWith('gid://shopify/Job/') ? legacyBigId(id) : null;
      const job = key === null ? undefined : shop.cancelJobs.get(key);
      if (!job) return null;
      finishJob(job);
      return { id, done: job.done };
    },
  };
}
