import { DomainError } from '../../common/errors/domain-error.js';
import { normalizeEmail, totalsOf, type Order } from '../orders/order.js';

/** Dot-paths into a sender's order payload (`packages`, `supplier_package.supplier_article_number`). */
export interface OrderMapping {
  orderId: string;
  orderNumber: string;
  lines: string;
  sku: string;
  quantity: string;
  /** When the sender says this version was made; without it, when it reached us. */
  updatedAt?: string;
  /** The order's status; with `cancelledStatuses`, which of its values return the stock. */
  status?: string;
  cancelledStatuses?: string[];
  customerEmail?: string;
  /** The order's total, and its currency (ISO 4217), for the ERP. */
  total?: string;
  currency?: string;
}

/** A body that does not fit the source's mapping: 422 naming the path, and nothing is stored. */
export class MappingError extends DomainError {
  constructor(message: string) {
    super('unprocessable', message);
    this.name = 'MappingError';
  }
}

export function valueAt(payload: unknown, path: string): unknown {
  let value = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const text = (value: unknown): string | null => {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
};

/** The sender's payload as a source-neutral order; every refusal names the path that is wrong. */
export function orderFromPayload(payload: unknown, mapping: OrderMapping, receivedAt: Date): Order {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new MappingError('the body is not a JSON object');
  const externalId = text(valueAt(payload, mapping.orderId));
  if (!externalId || externalId.length > 64) throw new MappingError(`${mapping.orderId} (the order id) is missing, empty or longer than 64 characters`);
  const name = text(valueAt(payload, mapping.orderNumber)) ?? externalId;
  const items = valueAt(payload, mapping.lines);
  if (!Array.isArray(items) || items.length === 0) throw new MappingError(`${mapping.lines} (the order lines) must be a non-empty array`);
  const lines = items.map((item, index) => {
    const sku = text(valueAt(item, mapping.sku));
    if (!sku) throw new MappingError(`${mapping.lines}.${index}.${mapping.sku} (the SKU) is missing`);
    const quantity = valueAt(item, mapping.quantity);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0 || quantity > 1_000_000) {
      throw new MappingError(`${mapping.lines}.${index}.${mapping.quantity} (the quantity) must be a positive integer`);
    }
    return { externalLineId: String(index), sku, variantId: null, quantity, currentQuantity: quantity };
  });
  let updatedAt = receivedAt;
  if (mapping.updatedAt) {
    const raw = valueAt(payload, mapping.updatedAt);
    const parsed = typeof raw === 'string' ? new Date(raw) : null;
    if (raw !== undefined && raw !== null && (!parsed || Number.isNaN(parsed.getTime()))) throw new MappingError(`${mapping.updatedAt} (the updated time) is not a date`);
    if (parsed && !Number.isNaN(parsed.getTime())) updatedAt = parsed;
  }
  const status = mapping.status ? text(valueAt(payload, mapping.status)) : null;
  const cancelled = status !== null && (mapping.cancelledStatuses ?? []).includes(status);
  return {
    externalId,
    name: name.slice(0, 64),
    updatedAt,
    cancelledAt: cancelled ? updatedAt : null,
    customerEmail: mapping.customerEmail ? normalizeEmail(valueAt(payload, mapping.customerEmail)) : null,
    totals: mapping.total ? totalsOf(valueAt(payload, mapping.total), mapping.currency ? valueAt(payload, mapping.currency) : null) : null,
    lines,
    refunds: [],
  };
}

/** Apicbase's purchase order (developers.apicbase.com, integrated ordering): signed hex HMAC-SHA256 of the body. */
export const APICBASE_PRESET: { signature: { header: string; algorithm: 'sha256'; encoding: 'hex' }; mapping: OrderMapping } = {
  signature: { header: 'X-APIC-WEBHOOK-SIGNATURE', algorithm: 'sha256', encoding: 'hex' },
  mapping: {
    orderId: 'id',
    orderNumber: 'order_number',
    lines: 'packages',
    sku: 'supplier_package.supplier_article_number',
    quantity: 'quantity_ordered',
    updatedAt: 'ordered_on',
    total: 'theoretical_price',
  },
};
