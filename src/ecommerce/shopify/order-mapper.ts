import { MalformedOrderError, normalizeEmail, totalsOf, type FulfillmentStatus, type Order, type OrderChange, type OrderLine, type Refund } from '../orders/order.js';

export { MalformedOrderError };

/** `gid://shopify/Order/123` -> `123`; plain numbers (and digit strings) pass through. */
export function numericId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value === '') return null;
  const tail = value.split('/').pop() ?? '';
  return /^\d{1,20}$/.test(tail) ? tail : null;
}

function date(value: unknown, field: string): Date {
  const parsed = typeof value === 'string' ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new MalformedOrderError(`${field} is not a date`);
  return parsed;
}

function quantity(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new MalformedOrderError(`${field} is not a valid quantity`);
  }
  return value;
}

const sku = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * Whether a refund line put its units back in stock. `no_restock` keeps them out; `cancel`, `return` and
 * `legacy_restock` return them (Shopify's RefundLineItemRestockType). Older payloads carry only `restock`.
 */
function restocks(type: unknown, legacyFlag: unknown): boolean {
  if (typeof type === 'string') return type.toLowerCase() !== 'no_restock';
  return legacyFlag === true;
}

/** Shopify's financial status, lowercased (REST `financial_status`, GraphQL `displayFinancialStatus`); null if absent. */
const financialStatusOf = (value: unknown): string | null => (typeof value === 'string' && /^[a-zA-Z_]{1,32}$/.test(value) ? value.toLowerCase() : null);

/**
 * REST `fulfillment_status` (null: nothing shipped, `partial`, `fulfilled`) or GraphQL `displayFulfillmentStatus`;
 * undefined when the payload does not say (an older or trimmed payload tells nothing).
 */
function fulfillmentStatusOf(value: unknown, present: boolean): FulfillmentStatus | null | undefined {
  if (!present) return undefined;
  if (value === 'fulfilled' || value === 'FULFILLED') return 'fulfilled';
  if (value === 'partial' || value === 'PARTIALLY_FULFILLED') return 'partial';
  return 'unfulfilled';
}

const optionalQuantity = (value: unknown, field: string): number | null => (value === undefined || value === null ? null : quantity(value, field));

type Json = Record<string, unknown>;
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : []);

/** A REST refund (in an order's `refunds`, or the body of refunds/create). */
export function refundFromWebhook(payload: Json, where = 'refund'): Refund {
  const externalId = numericId(payload.admin_graphql_api_id) ?? numericId(payload.id);
  if (!externalId) throw new MalformedOrderError(`${where}.id is missing`);
  return {
    externalId,
    lines: objects(payload.refund_line_items).map((item, index) => {
      const lineItem = (item.line_item ?? {}) as Json;
      const lineId = numericId(lineItem.admin_graphql_api_id) ?? numericId(item.line_item_id) ?? numericId(lineItem.id);
      if (!lineId) throw new MalformedOrderError(`${where}.refund_line_items.${index}.line_item_id is missing`);
      return { externalLineId: lineId, quantity: quantity(item.quantity, `${where}.refund_line_items.${index}.quantity`), restock: restocks(item.restock_type, payload.restock) };
    }),
  };
}

/** The REST-shaped body of orders/* webhooks. */
export function orderFromWebhook(payload: Json): Order {
  // The gid is exact; the numeric `id` can exceed what a JSON number holds without loss.
  const externalId = numericId(payload.admin_graphql_api_id) ?? numericId(payload.id);
  if (!externalId) throw new MalformedOrderError('id is missing');
  if (!Array.isArray(payload.line_items)) throw new MalformedOrderError('line_items is missing');
  return {
    externalId,
    name: typeof payload.name === 'string' ? payload.name.slice(0, 64) : `#${externalId}`,
    updatedAt: date(payload.updated_at ?? payload.created_at, 'updated_at'),
    cancelledAt: payload.cancelled_at ? date(payload.cancelled_at, 'cancelled_at') : null,
    customerEmail: normalizeEmail(payload.email, payload.contact_email, (payload.customer as Json | null | undefined)?.email),
    totals: totalsOf(payload.current_total_price ?? payload.total_price, payload.currency),
    financialStatus: financialStatusOf(payload.financial_status),
    fulfillmentStatus: fulfillmentStatusOf(payload.fulfillment_status, 'fulfillment_status' in payload),
    lines: (payload.line_items as Json[]).map((item, index): OrderLine => {
      const ordered = quantity(item?.quantity, `line_items.${index}.quantity`);
      return {
        externalLineId: numericId(item?.admin_graphql_api_id) ?? numericId(item?.id) ?? String(index),
        sku: sku(item?.sku),
        variantId: numericId(item?.variant_id),
        quantity: ordered,
        // Before API 2024-01 there was no current_quantity: such a payload knows no edits.
        currentQuantity: item?.current_quantity === undefined ? ordered : quantity(item.current_quantity, `line_items.${index}.current_quantity`),
        unfulfilledQuantity: optionalQuantity(item?.fulfillable_quantity, `line_items.${index}.fulfillable_quantity`),
      };
    }),
    refunds: objects(payload.refunds).map((refund, index) => refundFromWebhook(refund, `refunds.${index}`)),
  };
}

/**
 * What an order webhook tells, by topic. orders/edited carries only the edit's additions and removals: the
 * order's new quantities come with the orders/updated that Shopify sends with it (and with the next poll), so it
 * changes nothing by itself (null).
 */
export function orderChangeFromWebhook(topic: string, payload: Json): OrderChange | null {
  if (topic === 'orders/edited') return null;
  if (topic === 'refunds/create') {
    const orderExternalId = numericId(payload.order_id);
    if (!orderExternalId) throw new MalformedOrderError('order_id is missing');
    return { kind: 'refund', orderExternalId, orderName: null, refund: refundFromWebhook(payload) };
  }
  return { kind: 'version', order: orderFromWebhook(payload) };
}

// A key's string as `"[^"\\]*(?:\\.[^"\\]*)*"`: a run of plain characters is one step, where `(?:[^"\\]|\\.)*`
// took one backtracking step per character and overflowed the stack on a string of a few megabytes (a long note).
const LONG_INTEGER_VALUE = /("[^"\\]*(?:\\.[^"\\]*)*"\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g;

/**
 * Webhook bodies hold ids above 2^53 as bare JSON numbers, which JSON.parse rounds; an id that only comes as
 * a number (a refund's `order_id`) would then name another order. Long integers in value position are read
 * as strings instead.
 */
export function parseWebhookJson(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(LONG_INTEGER_VALUE, '$1"$2"'));
  } catch (error) {
    throw new MalformedOrderError(`the body is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedOrderError('the body is not a JSON object');
  return value as Json;
}

export interface GraphqlOrderNode {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  email: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  currentTotalPriceSet: { shopMoney: { amount: string; currencyCode: string } } | null;
  lineItems: { nodes: GraphqlLineNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  refunds: GraphqlRefundNode[];
}

export interface GraphqlLineNode {
  id: string;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  unfulfilledQuantity?: number;
  variant: { id: string } | null;
}

export interface GraphqlRefundLineNode {
  lineItem: { id: string };
  quantity: number;
  restockType: string;
}

export interface GraphqlRefundNode {
  id: string;
  refundLineItems: { nodes: GraphqlRefundLineNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export function lineFromGraphql(node: GraphqlLineNode, index: number): OrderLine {
  return {
    externalLineId: numericId(node.id) ?? String(index),
    sku: sku(node.sku),
    variantId: numericId(node.variant?.id),
    quantity: quantity(node.quantity, `lineItems.${index}.quantity`),
    currentQuantity: quantity(node.currentQuantity, `lineItems.${index}.currentQuantity`),
    unfulfilledQuantity: optionalQuantity(node.unfulfilledQuantity, `lineItems.${index}.unfulfilledQuantity`),
  };
}

export function refundFromGraphql(id: string, lines: GraphqlRefundLineNode[]): Refund {
  const externalId = numericId(id);
  if (!externalId) throw new MalformedOrderError('refund id is missing');
  return {
    externalId,
    lines: lines.map((line, index) => {
      const lineId = numericId(line.lineItem.id);
      if (!lineId) throw new MalformedOrderError(`refund line ${index} has no line item`);
      return { externalLineId: lineId, quantity: quantity(line.quantity, `refundLineItems.${index}.quantity`), restock: restocks(line.restockType, false) };
    }),
  };
}

/** An order node of the GraphQL `orders` query, with all its line items and refund lines fetched. */
export function orderFromGraphql(node: Omit<GraphqlOrderNode, 'refunds' | 'lineItems'>, lines: GraphqlLineNode[], refunds: Refund[]): Order {
  const externalId = numericId(node.id);
  if (!externalId) throw new MalformedOrderError('id is missing');
  return {
    externalId,
    name: node.name.slice(0, 64),
    updatedAt: date(node.updatedAt, 'updatedAt'),
    cancelledAt: node.cancelledAt ? date(node.cancelledAt, 'cancelledAt') : null,
    customerEmail: normalizeEmail(node.email),
    totals: node.currentTotalPriceSet ? totalsOf(node.currentTotalPriceSet.shopMoney.amount, node.currentTotalPriceSet.shopMoney.currencyCode) : null,
    financialStatus: financialStatusOf(node.displayFinancialStatus),
    fulfillmentStatus: fulfillmentStatusOf(node.displayFulfillmentStatus, typeof node.displayFulfillmentStatus === 'string'),
    lines: lines.map(lineFromGraphql),
    refunds,
  };
}
