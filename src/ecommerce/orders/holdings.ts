import type { FulfillmentStatus, Order, OrderLine, OrderTotals, Refund } from './order.js';

/**
 * The stock rules of an order, as pure functions. An order holds, per line, the units it currently has
 * (`currentQuantity`: ordered, minus what edits and refunds removed) plus the units refunded without restock,
 * which stay out of inventory. Refunds and cancellations are facts: they count once, whenever they arrive. The
 * rules and their sources are written down in docs/architecture.md ("Order lifecycle").
 */
export interface StoredLine extends OrderLine {
  /** The POS product the line matched (through a mapping, then by SKU), or null. */
  productId: string | null;
  /** Units of this line currently out of POS stock because of this order. */
  held: number;
  /** Stock movements made for this line so far: numbers the next movement's ledger reference. */
  moves: number;
}

export interface StoredRefund extends Refund {
  /** Whether the stored version of the order already counts this refund in its lines' current quantities. */
  inVersion: boolean;
}

export interface OrderState {
  name: string;
  /** The stored version's time, never later than when it reached us (a skewed clock cannot block later versions). */
  updatedAt: Date;
  /** Sticky: once cancelled, always cancelled. */
  cancelledAt: Date | null;
  customerEmail: string | null;
  totals: OrderTotals | null;
  /** Payment and fulfilment as the source last told them (null: not told); the status actions check them. */
  financialStatus: string | null;
  fulfillmentStatus: FulfillmentStatus | null;
  lines: StoredLine[];
  refunds: StoredRefund[];
}

export type ProductLookup = (line: OrderLine) => string | null;

/** Units this line should hold now, by the rules above. */
export function targetHeld(state: OrderState): number[] {
  // Shopify's default: a cancellation that tells nothing about restocking returns everything to stock.
  const refundedLines = state.refunds.reduce((n, refund) => n + refund.lines.length, 0);
  if (state.cancelledAt && refundedLines === 0) return state.lines.map(() => 0);
  return state.lines.map((line) => {
    if (line.productId === null) return 0;
    let held = line.currentQuantity;
    for (const refund of state.refunds) {
      for (const refunded of refund.lines) {
        if (refunded.externalLineId !== line.externalLineId) continue;
        // A refund the stored version counts already lowered currentQuantity: units not restocked are still out.
        if (refund.inVersion && !refunded.restock) held += refunded.quantity;
        // A refund the stored version does not count yet: restocked units come back now.
        if (!refund.inVersion && refunded.restock) held -= refunded.quantity;
      }
    }
    return Math.max(0, held);
  });
}

function mergeRefunds(known: StoredRefund[], incoming: Refund[], inVersion: boolean): StoredRefund[] {
  const byId = new Map(known.map((r) => [r.externalId, r]));
  for (const refund of incoming) {
    const existing = byId.get(refund.externalId);
    byId.set(refund.externalId, { ...refund, inVersion: inVersion || (existing?.inVersion ?? false) });
  }
  return [...byId.values()];
}

/** An order seen for the first time. Nothing is held yet: the caller moves stock to `targetHeld`. */
export function stateOfNewOrder(order: Order, receivedAt: Date, productOf: ProductLookup): OrderState {
  return {
    name: order.name,
    updatedAt: capped(order.updatedAt, receivedAt),
    cancelledAt: order.cancelledAt,
    customerEmail: order.customerEmail ?? null,
    totals: order.totals ?? null,
    financialStatus: order.financialStatus ?? null,
    fulfillmentStatus: order.fulfillmentStatus ?? null,
    lines: order.lines.map((line) => ({ ...line, productId: productOf(line), held: 0, moves: 0 })),
    refunds: order.refunds.map((refund) => ({ ...refund, inVersion: true })),
  };
}

/**
 * A version of an order already known. A newer one replaces the lines' current quantities (and adds lines an
 * edit added); any version, even an older one, adds the refunds it carries and its cancellation.
 */
export function withVersion(state: OrderState, order: Order, receivedAt: Date, productOf: ProductLookup): { state: OrderState; newer: boolean } {
  const at = capped(order.updatedAt, receivedAt);
  // Sources date versions to the second: two versions of one second that differ are both news, and the last one
  // to arrive wins; the next poll (which shows the order as it is now) settles any misorder within that second.
  const newer = at.getTime() > state.updatedAt.getTime() || (at.getTime() === state.updatedAt.getTime() && differs(state, order));
  const cancelledAt = state.cancelledAt ?? order.cancelledAt;
  if (!newer) {
    return { newer, state: { ...state, cancelledAt, refunds: mergeRefunds(state.refunds, order.refunds, false) } };
  }
  const lines = state.lines.map((line) => {
    const seen = order.lines.find((l) => l.externalLineId === line.externalLineId);
    return seen ? { ...line, currentQuantity: seen.currentQuantity, unfulfilledQuantity: seen.unfulfilledQuantity ?? line.unfulfilledQuantity } : line;
  });
  for (const line of order.lines) {
    if (!state.lines.some((l) => l.externalLineId === line.externalLineId)) lines.push({ ...line, productId: productOf(line), held: 0, moves: 0 });
  }
  // The new version says which refunds its quantities count; a refund it does not carry is not counted by it.
  const versionIds = new Set(order.refunds.map((r) => r.externalId));
  const refunds = mergeRefunds(
    state.refunds.map((r) => ({ ...r, inVersion: versionIds.has(r.externalId) })),
    order.refunds,
    true,
  );
  return {
    newer,
    state: {
      name: order.name,
      updatedAt: at,
      cancelledAt,
      customerEmail: order.customerEmail ?? state.customerEmail,
      totals: order.totals ?? state.totals,
      financialStatus: order.financialStatus ?? state.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus ?? state.fulfillmentStatus,
      lines,
      refunds,
    },
  };
}

function differs(state: OrderState, order: Order): boolean {
  if ((order.financialStatus ?? state.financialStatus) !== state.financialStatus || (order.fulfillmentStatus ?? state.fulfillmentStatus) !== state.fulfillmentStatus) return true;
  return order.lines.some((line) => {
    const stored = state.lines.find((l) => l.externalLineId === line.externalLineId);
    return !stored || stored.currentQuantity !== line.currentQuantity || (line.unfulfilledQuantity != null && stored.unfulfilledQuantity !== line.unfulfilledQuantity);
  });
}

/** A refund on its own (refunds/create): a fact the stored version does not count yet, unless already known. */
export function withRefund(state: OrderState, refund: Refund): OrderState {
  if (state.refunds.some((r) => r.externalId === refund.externalId)) return state;
  return { ...state, refunds: [...state.refunds, { ...refund, inVersion: false }] };
}

function capped(updatedAt: Date, receivedAt: Date): Date {
  return updatedAt.getTime() > receivedAt.getTime() ? receivedAt : updatedAt;
}
