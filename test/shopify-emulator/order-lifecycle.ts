import { webhookExample } from './webhook-examples.js';
import { gid, nextBigId, type Fulfillment, type LineItem, type Order, type Refund, type RestockType } from './state.js';

/**
 * What a merchant does to an order after it is placed, as Shopify records it: an edit sets a line's current
 * quantity or adds a line; a refund lowers the refunded lines' current quantity and says whether the units went
 * back to stock; a cancellation refunds whatever the order still has, with or without restock.
 */
export class OrderLifecycleError extends Error {}

export interface EditInput {
  /** New current quantities of existing lines (0 removes a line). */
  set?: Array<{ lineItemId: bigint | string; quantity: number }>;
  /** Lines added by the edit. */
  add?: Array<{ sku: string; quantity: number; title?: string; price?: string }>;
}

export interface RefundInput {
  lines: Array<{ lineItemId: bigint | string; quantity: number; restockType: RestockType }>;
}

export interface EditRecord {
  id: bigint;
  additions: Array<{ id: bigint; delta: number }>;
  removals: Array<{ id: bigint; delta: number }>;
}

const lineOf = (order: Order, id: bigint | string): LineItem => {
  const line = order.lineItems.find((l) => l.id === BigInt(id));
  if (!line) throw new OrderLifecycleError(`order ${order.id} has no line item ${String(id)}`);
  return line;
};

export function newLine(input: { sku?: string | null; quantity: number; title?: string; price?: string; variantId?: number | null; productId?: number | null; locationId?: number }, primaryLocationId = 1): LineItem {
  return {
    id: nextBigId(),
    sku: input.sku ?? null,
    title: input.title ?? input.sku ?? 'Item',
    quantity: input.quantity,
    currentQuantity: input.quantity,
    price: input.price ?? '10.00',
    variantId: input.variantId ?? null,
    productId: input.productId ?? null,
    fulfilledQuantity: 0,
    locationId: input.locationId ?? primaryLocationId,
  };
}

export function editOrder(order: Order, input: EditInput): EditRecord {
  if (order.cancelledAt) throw new OrderLifecycleError(`order ${order.id} is cancelled and cannot be edited`);
  const record: EditRecord = { id: nextBigId(), additions: [], removals: [] };
  for (const change of input.set ?? []) {
    if (!Number.isInteger(change.quantity) || change.quantity < 0) throw new OrderLifecycleError('a quantity must be a whole number >= 0');
    const line = lineOf(order, change.lineItemId);
    if (change.quantity < line.fulfilledQuantity) throw new OrderLifecycleError(`line ${line.id} has ${line.fulfilledQuantity} fulfilled: it cannot go below that`);
  }
  for (const change of input.set ?? []) {
    const line = lineOf(order, change.lineItemId);
    const delta = change.quantity - line.currentQuantity;
    if (delta > 0) record.additions.push({ id: line.id, delta });
    if (delta < 0) record.removals.push({ id: line.id, delta: -delta });
    line.currentQuantity = change.quantity;
  }
  for (const added of input.add ?? []) {
    const line = newLine(added);
    order.lineItems.push(line);
    record.additions.push({ id: line.id, delta: line.quantity });
  }
  return record;
}

export function refundOrder(order: Order, input: RefundInput, at: string): Refund {
  for (const requested of input.lines) {
    const line = lineOf(order, requested.lineItemId);
    if (!Number.isInteger(requested.quantity) || requested.quantity < 1 || requested.quantity > line.currentQuantity) {
      throw new OrderLifecycleError(`cannot refund ${requested.quantity} of line ${line.id}: it has ${line.currentQuantity}`);
    }
  }
  const refund: Refund = {
    id: nextBigId(),
    createdAt: at,
    lines: input.lines.map((requested) => {
      const line = lineOf(order, requested.lineItemId);
      line.currentQuantity -= requested.quantity;
      return { id: nextBigId(), lineItemId: line.id, quantity: requested.quantity, restockType: requested.restockType };
    }),
  };
  order.refunds.push(refund);
  return refund;
}

/** Cancelling refunds every unit the order still has; null when nothing was left to refund. */
export function cancelOrder(order: Order, restock: boolean, at: string, reason = 'customer'): Refund | null {
  if (order.cancelledAt) throw new OrderLifecycleError(`order ${order.id} is already cancelled`);
  order.cancelledAt = at;
  order.cancelReason = reason;
  const remaining = order.lineItems.filter((line) => line.currentQuantity > 0);
  if (remaining.length === 0) return null;
  return refundOrder(order, { lines: remaining.map((line) => ({ lineItemId: line.id, quantity: line.currentQuantity, restockType: restock ? 'cancel' : 'no_restock' })) }, at);
}

/** Units each SKU's lines hold out of stock across the shop's orders: what POS stock must be short by. */
export function heldBySku(orders: Iterable<Order>): Record<string, number> {
  const held: Record<string, number> = {};
  for (const order of orders) {
    for (const line of order.lineItems) {
      if (!line.sku) continue;
      const kept = order.refunds.flatMap((r) => r.lines).filter((l) => l.lineItemId === line.id && l.restockType === 'no_restock').reduce((n, l) => n + l.quantity, 0);
      held[line.sku] = (held[line.sku] ?? 0) + line.currentQuantity + kept;
    }
  }
  return held;
}

/** The body of refunds/create: Shopify's published example with this refund written over it. */
export function refundPayload(order: Order, refund: Refund, apiVersion: string) {
  const example = webhookExample('refunds/create', apiVersion);
  const template = (example.refund_line_items as Array<Record<string, unknown>>)[0];
  return {
    ...example,
    id: refund.id,
    admin_graphql_api_id: gid('Refund', refund.id),
    order_id: order.id,
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    restock: refund.lines.some((l) => l.restockType !== 'no_restock'),
    refund_line_items: refund.lines.map((line) => {
      const item = lineOf(order, line.lineItemId);
      return {
        ...structuredClone(template),
        id: line.id,
        quantity: line.quantity,
        line_item_id: item.id,
        restock_type: line.restockType,
        line_item: { ...(structuredClone(template.line_item) as Record<string, unknown>), id: item.id, admin_graphql_api_id: gid('LineItem', item.id), sku: item.sku, quantity: item.quantity, variant_id: item.variantId, product_id: item.productId, title: item.title, name: item.title },
      };
    }),
  };
}

/** The body of orders/edited: the edit's additions and removals only, as Shopify sends it. */
export function editPayload(order: Order, edit: EditRecord, at: string, apiVersion: string) {
  const example = webhookExample('orders/edited', apiVersion) as { order_edit: Record<string, unknown> };
  return {
    order_edit: {
      ...example.order_edit,
      id: edit.id,
      order_id: order.id,
      created_at: at,
      committed_at: at,
      line_items: { additions: edit.additions, removals: edit.removals },
    },
  };
}

/** Units of a line not shipped yet: what its fulfillment order still has to fulfil. */
export const remainingQuantity = (line: LineItem): number => Math.max(0, line.currentQuantity - line.fulfilledQuantity);

export type FulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED' | 'ON_HOLD';

/** One fulfillment order per location that holds lines of the order, as Shopify creates them with the order. */
export function fulfillmentOrders(order: Order): Array<{ locationId: number; status: FulfillmentOrderStatus; lines: LineItem[] }> {
  const locations = [...new Set(order.lineItems.map((l) => l.locationId))].sort((a, b) => a - b);
  return locations.map((locationId) => {
    const lines = order.lineItems.filter((l) => l.locationId === locationId);
    const remaining = lines.reduce((n, l) => n + remainingQuantity(l), 0);
    const fulfilled = lines.reduce((n, l) => n + l.fulfilledQuantity, 0);
    const status: FulfillmentOrderStatus = order.cancelledAt
      ? 'CANCELLED'
      : remaining === 0
        ? 'CLOSED'
        : order.heldLocations.includes(locationId)
          ? 'ON_HOLD'
          : fulfilled > 0
            ? 'IN_PROGRESS'
            : 'OPEN';
    return { locationId, status, lines };
  });
}

/** The order's fulfilment as Shopify's webhooks (`fulfillment_status`) and displayFulfillmentStatus tell it. */
export function fulfillmentStatus(order: Order): 'unfulfilled' | 'partial' | 'fulfilled' {
  const fulfilled = order.lineItems.reduce((n, l) => n + l.fulfilledQuantity, 0);
  if (fulfilled === 0) return 'unfulfilled';
  return order.lineItems.every((l) => remainingQuantity(l) === 0) ? 'fulfilled' : 'partial';
}

export interface FulfilInput {
  locationId: number;
  /** Lines and quantities; null fulfils everything the location's fulfillment order has left. */
  lines: Array<{ lineItemId: bigint; quantity: number }> | null;
}

/** fulfillmentCreate's rules: only OPEN or IN_PROGRESS fulfillment orders, within their remaining quantities. */
export function fulfil(order: Order, parts: FulfilInput[], tracking: Fulfillment['tracking'], notifyCustomer: boolean, at: string): Fulfillment {
  if (order.cancelledAt) throw new OrderLifecycleError('The order has been canceled.');
  const byLocation = new Map(fulfillmentOrders(order).map((fo) => [fo.locationId, fo]));
  const shipped: Array<{ line: LineItem; quantity: number }> = [];
  for (const part of parts) {
    const fo = byLocation.get(part.locationId);
    if (!fo) throw new OrderLifecycleError('Fulfillment order does not exist.');
    if (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS') throw new OrderLifecycleError(`Fulfillment order has an unfulfillable status= ${fo.status.toLowerCase()}.`);
    const wanted = part.lines ?? fo.lines.filter((l) => remainingQuantity(l) > 0).map((l) => ({ lineItemId: l.id, quantity: remainingQuantity(l) }));
    for (const { lineItemId, quantity } of wanted) {
      const line = fo.lines.find((l) => l.id === lineItemId);
      if (!line) throw new OrderLifecycleError('Fulfillment order line item does not exist.');
      const already = shipped.filter((s) => s.line === line).reduce((n, s) => n + s.quantity, 0);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity + already > remainingQuantity(line)) throw new OrderLifecycleError('Invalid fulfillment order line item quantity requested.');
      shipped.push({ line, quantity });
    }
  }
  if (shipped.length === 0) throw new OrderLifecycleError('Line items are already fulfilled.');
  const locations = new Set(parts.map((p) => p.locationId));
  if (locations.size > 1) throw new OrderLifecycleError('All fulfillment orders must be assigned to the same location.');
  for (const { line, quantity } of shipped) line.fulfilledQuantity += quantity;
  const fulfillment: Fulfillment = { id: nextBigId(), createdAt: at, locationId: parts[0].locationId, notifyCustomer, tracking, lines: shipped.map(({ line, quantity }) => ({ lineItemId: line.id, quantity })) };
  order.fulfillments.push(fulfillment);
  return fulfillment;
}
