import type { Order } from './state.js';

const CLAUSE = /(updated_at|created_at):(>=|<=|>|<|)'?([^'\s]+)'?/g;

/** The subset of Shopify's search syntax the app sends: `updated_at:>='…'` and friends, ANDed. */
export function filterOrders(orders: Order[], query: string | null | undefined): Order[] {
  if (!query) return orders;
  const clauses = [...query.matchAll(CLAUSE)].map(([, field, op, value]) => ({
    field: field === 'updated_at' ? ('updatedAt' as const) : ('createdAt' as const),
    op: op || '=',
    at: Date.parse(value ?? ''),
  }));
  return orders.filter((order) =>
    clauses.every(({ field, op, at }) => {
      const t = Date.parse(order[field]);
      if (Number.isNaN(at)) return true;
      switch (op) {
        case '>=':
          return t >= at;
        case '<=':
          return t <= at;
        case '>':
          return t > at;
        case '<':
          return t < at;
        default:
          return t === at;
      }
    }),
  );
}

export function sortOrders(orders: Order[], sortKey: string | null | undefined, reverse: boolean | null | undefined): Order[] {
  const key = sortKey === 'UPDATED_AT' ? 'updatedAt' : sortKey === 'CREATED_AT' || sortKey === 'PROCESSED_AT' ? 'createdAt' : null;
  const sorted = [...orders].sort((a, b) => {
    const byKey = key ? Date.parse(a[key]) - Date.parse(b[key]) : 0;
    return byKey !== 0 ? byKey : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return reverse ? sorted.reverse() : sorted;
}
