/** An order as the rest of the app sees it, whichever way it arrived. */
export interface NormalizedOrder {
  externalId: string;
  name: string;
  updatedAt: Date;
  cancelledAt: Date | null;
  lines: NormalizedLine[];
}

export interface NormalizedLine {
  externalLineId: string;
  sku: string | null;
  variantId: string | null;
  quantity: number;
}

export class MalformedOrderError extends Error {
  constructor(message: string) {
    super(`malformed order: ${message}`);
    this.name = 'MalformedOrderError';
  }
}

/** `gid://shopify/Order/123` -> `123`; plain numbers pass through. */
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

/** The REST-shaped body of orders/* webhooks. */
export function orderFromWebhook(payload: Record<string, unknown>): NormalizedOrder {
  // The gid is exact; the numeric `id` can exceed what a JSON number holds without loss.
  const externalId = numericId(payload.admin_graphql_api_id) ?? numericId(payload.id);
  if (!externalId) throw new MalformedOrderError('id is missing');
  if (!Array.isArray(payload.line_items)) throw new MalformedOrderError('line_items is missing');
  return {
    externalId,
    name: typeof payload.name === 'string' ? payload.name.slice(0, 64) : `#${externalId}`,
    updatedAt: date(payload.updated_at ?? payload.created_at, 'updated_at'),
    cancelledAt: payload.cancelled_at ? date(payload.cancelled_at, 'cancelled_at') : null,
    lines: (payload.line_items as Array<Record<string, unknown>>).map((item, index) => ({
      externalLineId: numericId(item?.admin_graphql_api_id) ?? numericId(item?.id) ?? String(index),
      sku: typeof item?.sku === 'string' && item.sku.trim() !== '' ? item.sku.trim() : null,
      variantId: numericId(item?.variant_id),
      quantity: quantity(item?.quantity, `line_items.${index}.quantity`),
    })),
  };
}

export interface GraphqlOrderNode {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  lineItems: { nodes: GraphqlLineNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export interface GraphqlLineNode {
  id: string;
  sku: string | null;
  quantity: number;
  variant: { id: string } | null;
}

export function lineFromGraphql(node: GraphqlLineNode, index: number): NormalizedLine {
  return {
    externalLineId: numericId(node.id) ?? String(index),
    sku: node.sku && node.sku.trim() !== '' ? node.sku.trim() : null,
    variantId: numericId(node.variant?.id),
    quantity: quantity(node.quantity, `lineItems.${index}.quantity`),
  };
}

/** An order node of the GraphQL `orders` query, with the line items fetched so far. */
export function orderFromGraphql(node: GraphqlOrderNode, lines: GraphqlLineNode[]): NormalizedOrder {
  const externalId = numericId(node.id);
  if (!externalId) throw new MalformedOrderError('id is missing');
  return {
    externalId,
    name: node.name.slice(0, 64),
    updatedAt: date(node.updatedAt, 'updatedAt'),
    cancelledAt: node.cancelledAt ? date(node.cancelledAt, 'cancelledAt') : null,
    lines: lines.map(lineFromGraphql),
  };
}
