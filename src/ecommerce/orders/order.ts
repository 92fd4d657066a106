import { DomainError } from '../../common/errors/domain-error.js';

/**
 * Orders as the rest of the app sees them, whichever source (Shopify today) and channel (webhook or poll)
 * brought them. Source folders map their payloads into these shapes; nothing here knows a source's format.
 */
export interface OrderLine {
  externalLineId: string;
  sku: string | null;
  /** The source's variant id, matched through the product mappings before the SKU. */
  variantId: string | null;
  /** As ordered: never changes after the order is placed (a line added by an edit has its own). */
  quantity: number;
  /** What the order holds now, after edits and refunds removed units (Shopify's `current_quantity`). */
  currentQuantity: number;
  /** Units not shipped yet, when the source tells it (Shopify's `fulfillable_quantity` / `unfulfilledQuantity`). */
  unfulfilledQuantity?: number | null;
}

export interface RefundLine {
  externalLineId: string;
  quantity: number;
  /** Whether the units went back to stock (Shopify: restock type `return`, `cancel` or `legacy_restock`). */
  restock: boolean;
}

/** A refund is a fact with an identity of its own: it applies once, whenever and however often it arrives. */
export interface Refund {
  externalId: string;
  lines: RefundLine[];
}

export interface OrderTotals {
  /** A decimal string, as the source writes it. */
  total: string;
  currency: string | null;
}

/** A total as a source writes it, or null when it is not a decimal amount. */
export function totalsOf(total: unknown, currency: unknown): OrderTotals | null {
  const text = typeof total === 'number' ? String(total) : typeof total === 'string' ? total.trim() : '';
  if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(text)) return null;
  return { total: text, currency: typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : null };
}

export const FULFILLMENT_STATUSES = ['unfulfilled', 'partial', 'fulfilled'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** One version of an order: what the source said about it at `updatedAt`. */
export interface Order {
  externalId: string;
  name: string;
  updatedAt: Date;
  cancelledAt: Date | null;
  /** The buyer's e-mail, lowercased, when the source tells it (support finds orders by it; redacted on request). */
  customerEmail?: string | null;
  /** The order's total as the source gives it (after edits and refunds where the source says so), for the ERP. */
  totals?: OrderTotals | null;
  /** The payment state as the source names it (Shopify: pending, authorized, paid, partially_refunded, ...), lowercased. */
  financialStatus?: string | null;
  fulfillmentStatus?: FulfillmentStatus | null;
  lines: OrderLine[];
  /** The refunds this version carries (with the lines it refunded). */
  refunds: Refund[];
}

/**
 * Where an order came from: a Shopify connection or another source (a WooCommerce store, a signed-webhook sender).
 * Its id keys the order, its deliveries and its logs; two sources' order 1001 are two orders.
 */
export interface OrderSourceRef {
  id: string;
  businessId: string;
  /** shopify, woocommerce or signed_webhook. */
  provider: string;
}

/** What a delivery or a poll tells about one order: a whole version, or a refund on its own. */
export type OrderChange = { kind: 'version'; order: Order } | { kind: 'refund'; orderExternalId: string; orderName: string | null; refund: Refund };

/** A buyer's e-mail as stored and searched: trimmed, lowercased; anything that is not an address is no e-mail. */
export function normalizeEmail(...candidates: unknown[]): string | null {
  for (const value of candidates) {
    if (typeof value !== 'string') continue;
    const email = value.trim().toLowerCase();
    if (email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email)) return email;
  }
  return null;
}

/** A payload that cannot be read as an order: retrying will not improve it. */
export class MalformedOrderError extends DomainError {
  constructor(message: string) {
    super('malformed_payload', `malformed order: ${message}`);
    this.name = 'MalformedOrderError';
  }
}
