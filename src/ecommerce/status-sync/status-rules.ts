import { createHash } from 'node:crypto';
import type { OrderState } from '../orders/holdings.js';

/**
 * The pure rules of status back-sync: which action may apply to an order as we know it, which scopes a Shopify
 * connection needs for it, when two requests are one, and how often a failed attempt is tried again.
 */
export const STATUS_ACTIONS = ['fulfillment', 'mark_paid', 'cancel'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];
/** `sending` is a claim in flight; the API shows it as pending (so is a request following a Shopify job). */
export const REQUEST_STATUSES = ['pending', 'sending', 'done', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const CANCEL_REASONS = ['customer', 'declined', 'fraud', 'inventory', 'other', 'staff'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface FulfillmentBody {
  trackingCompany?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  notifyCustomer?: boolean;
  /** Lines resolved to the order's own lines when the request was stored. */
  lines?: Array<{ externalLineId: string; sku: string | null; quantity: number }>;
}
export interface CancelBody {
  reason: CancelReason;
  restock: boolean;
  notifyCustomer?: boolean;
  staffNote?: string;
}
export type ActionBody = FulfillmentBody | CancelBody | Record<string, never>;

/** A request already stored for the order, as the rules need it. */
export interface OpenRequest {
  id: string;
  action: StatusAction;
}

export const ACTION_LABEL: Record<StatusAction, string> = { fulfillment: 'fulfilment', mark_paid: 'mark-paid', cancel: 'cancellation' };

/** Paid in full (or refunded after): Shopify's orderMarkAsPaid has nothing to collect. */
const NOTHING_OUTSTANDING = new Set(['paid', 'partially_refunded', 'refunded']);

/** Units of each line not shipped yet, as the source last told it (all of them when it never said). */
export function unfulfilled(state: OrderState): Map<string, number> {
  return new Map(state.lines.map((line) => [line.externalLineId, Math.min(line.currentQuantity, line.unfulfilledQuantity ?? line.currentQuantity)]));
}

/**
 * Why `action` cannot apply to the order now, in plain words for a 409, or null when it can. `open` are the order's
 * requests still pending: a second one of the same kind, or a fulfilment racing a cancellation, is refused.
 */
export function refusal(action: StatusAction, state: OrderState, open: OpenRequest[], body: ActionBody): string | null {
  const pending = (kind: StatusAction) => open.find((r) => r.action === kind);
  const cancelling = pending('cancel');
  if (state.cancelledAt) return 'the order is already cancelled';
  if (cancelling) return `a cancellation of this order is already under way (request ${cancelling.id})`;
  const left = unfulfilled(state);
  const anyShipped = state.fulfillmentStatus === 'partial' || state.fulfillmentStatus === 'fulfilled' || state.lines.some((l) => (left.get(l.externalLineId) ?? 0) < l.currentQuantity);
  switch (action) {
    case 'cancel': {
      if (anyShipped) return `fulfilled orders cannot be cancelled: the order is ${state.fulfillmentStatus === 'fulfilled' ? 'fulfilled' : 'partially fulfilled'} in the shop`;
      const fulfilling = pending('fulfillment');
      if (fulfilling) return `a fulfilment of this order is under way (request ${fulfilling.id}); fulfilled orders cannot be cancelled`;
      return null;
    }
    case 'mark_paid': {
      if (state.financialStatus && NOTHING_OUTSTANDING.has(state.financialStatus)) return `nothing outstanding to pay: the order is ${state.financialStatus.replace('_', ' ')}`;
      const marking = pending('mark_paid');
      if (marking) return `marking this order as paid is already under way (request ${marking.id})`;
      return null;
    }
    case 'fulfillment': {
      if (state.lines.every((l) => l.currentQuantity === 0)) return 'the order holds nothing to fulfil: its lines were refunded, removed or released in the shop';
      const remaining = [...left.values()].reduce((n, q) => n + q, 0);
      if (state.fulfillmentStatus === 'fulfilled' || remaining === 0) return 'the order is already fully fulfilled';
      for (const line of (body as FulfillmentBody).lines ?? []) {
        const available = left.get(line.externalLineId) ?? 0;
        if (line.quantity > available) return `only ${available} of ${line.sku ?? `line ${line.externalLineId}`} are left to fulfil, ${line.quantity} asked`;
      }
      return null;
    }
  }
}

/** The same action with the same body: one request when sent twice within `DUPLICATE_WINDOW_MS`. */
export function fingerprint(action: StatusAction, body: unknown): string {
  return createHash('sha256').update(`${action}\n${canonicalJson(body)}`).digest('hex');
}

export const DUPLICATE_WINDOW_MS = 60_000;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Scopes a Shopify connection needs per action. Fulfilment works on the merchant's own locations' fulfillment
 * orders; each entry is a set of alternatives, any one of which will do. A write scope includes its read scope.
 */
export const REQUIRED_SCOPES: Record<StatusAction, string[][]> = {
  fulfillment: [['write_merchant_managed_fulfillment_orders', 'write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders']],
  mark_paid: [['write_orders']],
  cancel: [['write_orders']],
};

/** What the connection lacks for `action` (the first alternative of each missing entry), or an empty list. */
export function missingScopes(action: StatusAction, granted: string[]): string[] {
  const has = new Set(granted);
  return REQUIRED_SCOPES[action].filter((alternatives) => !alternatives.some((s) => has.has(s))).map((alternatives) => alternatives[0]);
}

/** Every scope any action needs: what a connection made before status back-sync may lack. */
export function missingForAll(granted: string[]): string[] {
  return [...new Set(STATUS_ACTIONS.flatMap((action) => missingScopes(action, granted)))];
}

/** Waits before attempt n+1 after a failure that may pass (Shopify unavailable after the client's own retries). */
export const RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Checks of a Shopify job (orderCancel) before the request is given up as failed. */
export const JOB_CHECK_DELAYS_MS = [300, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];

export function retryDelayMs(attempt: number): number | null {
  return attempt <= RETRY_DELAYS_MS.length ? RETRY_DELAYS_MS[attempt - 1] : null;
}

export interface FulfillmentOrderView {
  id: string;
  status: string;
  locationId: string | null;
  lines: Array<{ id: string; lineItemId: string; remainingQuantity: number }>;
}

export interface FulfillmentPlan {
  locationId: string | null;
  parts: Array<{ fulfillmentOrderId: string; lines: Array<{ id: string; quantity: number }> }>;
}

/**
 * Which fulfillment-order lines to fulfil: only OPEN and IN_PROGRESS fulfillment orders, never more than their
 * remaining quantities; one plan per location (Shopify fulfils one location per fulfillment). `wanted` null means
 * everything that remains. Throws a plain reason when the lines asked for are not there to fulfil.
 */
export function planFulfillment(orders: FulfillmentOrderView[], wanted: Array<{ externalLineId: string; sku: string | null; quantity: number }> | null): FulfillmentPlan[] {
  const open = orders.filter((fo) => fo.status === 'OPEN' || fo.status === 'IN_PROGRESS');
  const need = wanted ? new Map(wanted.map((w) => [w.externalLineId, w.quantity])) : null;
  const byLocation = new Map<string, FulfillmentPlan>();
  for (const fo of open) {
    const lines: Array<{ id: string; quantity: number }> = [];
    for (const line of fo.lines) {
      const left = need ? (need.get(line.lineItemId) ?? 0) : line.remainingQuantity;
      const take = Math.min(left, line.remainingQuantity);
      if (take <= 0) continue;
      lines.push({ id: line.id, quantity: take });
      if (need) need.set(line.lineItemId, left - take);
    }
    if (lines.length === 0) continue;
    const key = fo.locationId ?? fo.id;
    const plan = byLocation.get(key) ?? { locationId: fo.locationId, parts: [] };
    plan.parts.push({ fulfillmentOrderId: fo.id, lines });
    byLocation.set(key, plan);
  }
  if (need) {
    const short = (wanted ?? []).filter((w) => (need.get(w.externalLineId) ?? 0) > 0);
    if (short.length > 0) {
      const held = orders.filter((fo) => fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS' && fo.lines.some((l) => short.some((s) => s.externalLineId === l.lineItemId) && l.remainingQuantity > 0));
      const why = held.length > 0 ? ` (fulfillment order ${held.map((fo) => `${fo.id.split('/').pop()} is ${fo.status}`).join(', ')})` : '';
      throw new Error(`the shop has fewer units left to fulfil than asked: ${short.map((s) => `${s.sku ?? `line ${s.externalLineId}`} short by ${need.get(s.externalLineId)}`).join(', ')}${why}`);
    }
  }
  if (byLocation.size === 0) {
    const held = orders.filter((fo) => fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS' && fo.lines.some((l) => l.remainingQuantity > 0));
    throw new Error(held.length > 0 ? `nothing can be fulfilled now: the fulfillment orders left are ${[...new Set(held.map((fo) => fo.status))].join(', ')}` : 'nothing is left to fulfil in the shop');
  }
  return [...byLocation.values()];
}
