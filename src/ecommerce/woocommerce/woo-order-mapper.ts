import { MalformedOrderError, normalizeEmail, totalsOf, type Order, type OrderLine } from '../orders/order.js';

/** Statuses in which an order keeps its units out of stock; any other (cancelled, refunded, failed, trash) returns them. */
export const HOLDING_STATUSES = ['pending', 'on-hold', 'processing', 'completed'] as const;

type Json = Record<string, unknown>;

/** A refund's lines as `GET /orders/:id/refunds` gives them: negative quantities, the order line in `_refunded_item_id`. */
export function refundedQuantities(refunds: unknown): Map<string, number> {
  const refunded = new Map<string, number>();
  for (const refund of Array.isArray(refunds) ? (refunds as Json[]) : []) {
    for (const item of Array.isArray(refund?.line_items) ? (refund.line_items as Json[]) : []) {
      const meta = Array.isArray(item.meta_data) ? (item.meta_data as Json[]) : [];
      const lineId = meta.find((m) => m.key === '_refunded_item_id')?.value;
      const quantity = Math.abs(Number(item.quantity));
      if ((typeof lineId === 'string' || typeof lineId === 'number') && Number.isInteger(quantity)) {
        refunded.set(String(lineId), (refunded.get(String(lineId)) ?? 0) + quantity);
      }
    }
  }
  return refunded;
}

/**
 * A WooCommerce order (REST v3 shape, which webhooks carry too) as a source-neutral order. WooCommerce can move an
 * order back from cancelled or trash, so a released order is not a cancellation (which is final): its lines hold
 * nothing until a later version holds them again. Refunded units go back to stock (WooCommerce's restock default).
 */
export function orderFromWoo(payload: Json, refunded: Map<string, number> = new Map()): Order {
  const id = payload.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new MalformedOrderError('id is missing');
  const modified = typeof payload.date_modified_gmt === 'string' ? new Date(`${payload.date_modified_gmt.replace(/Z$/, '')}Z`) : null;
  if (!modified || Number.isNaN(modified.getTime())) throw new MalformedOrderError('date_modified_gmt is not a date');
  if (!Array.isArray(payload.line_items)) throw new MalformedOrderError('line_items is missing');
  const holds = (HOLDING_STATUSES as readonly unknown[]).includes(payload.status);
  const lines = (payload.line_items as Json[]).map((item, index): OrderLine => {
    const quantity = item?.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 1_000_000) {
      throw new MalformedOrderError(`line_items.${index}.quantity is not a valid quantity`);
    }
    const lineId = typeof item.id === 'number' ? String(item.id) : String(index);
    const sku = typeof item.sku === 'string' && item.sku.trim() !== '' ? item.sku.trim() : null;
    return { externalLineId: lineId, sku, variantId: null, quantity, currentQuantity: holds ? Math.max(0, quantity - (refunded.get(lineId) ?? 0)) : 0 };
  });
  const number = typeof payload.number === 'string' || typeof payload.number === 'number' ? String(payload.number) : String(id);
  return {
    externalId: String(id),
    name: `#${number}`.slice(0, 64),
    updatedAt: modified,
    cancelledAt: null,
    customerEmail: normalizeEmail((payload.billing as Json | undefined)?.email),
    totals: totalsOf(payload.total, payload.currency),
    // WooCommerce marks payment with date_paid (set_paid, a gateway's payment_complete); a refunded order is refunded.
    financialStatus: payload.status === 'refunded' ? 'refunded' : payload.date_paid_gmt || payload.status === 'processing' || payload.status === 'completed' ? 'paid' : 'pending',
    fulfillmentStatus: payload.status === 'completed' ? 'fulfilled' : 'unfulfilled',
    lines,
    refunds: [],
  };
}

/** Whether an order carries refunds whose lines must be fetched (the order payload lists only their ids and totals). */
export const hasRefunds = (payload: Json): boolean => Array.isArray(payload.refunds) && payload.refunds.length > 0;
