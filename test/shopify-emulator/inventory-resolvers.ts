import { Kind, type DirectiveNode, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { toConnection, type ConnectionArgs } from './connection.js';
import { gid, legacyId, type ShopState } from './state.js';

interface SetQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  quantities: Array<{ inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity?: number | null }>;
}

const ID_CLAUSE = /id:'?(\d+)'?/g;

function idempotencyKey(info: GraphQLResolveInfo): string | null {
  const field = info.fieldNodes[0] as FieldNode | undefined;
  const directive = field?.directives?.find((d: DirectiveNode) => d.name.value === 'idempotent');
  const argument = directive?.arguments?.find((a) => a.name.value === 'key');
  if (!argument) return null;
  if (argument.value.kind === Kind.STRING) return argument.value.value;
  if (argument.value.kind === Kind.VARIABLE) return String(info.variableValues[argument.value.name.value]);
  return null;
}

/** inventorySetQuantities (absolute quantities, @idempotent) and the inventoryItems read that reconciliation uses. */
export function inventoryRoot(shop: ShopState, idempotency: Map<string, unknown>) {
  const itemIds = () => [...shop.variants.values()].map((v) => v.inventoryItemId);
  const itemView = (itemId: number) => {
    const variant = [...shop.variants.values()].find((v) => v.inventoryItemId === itemId);
    return {
      id: gid('InventoryItem', itemId),
      sku: variant?.sku ?? null,
      inventoryLevel: ({ locationId }: { locationId: string }) =>
        shop.hasLocation(legacyId(locationId))
          ? {
              id: `${gid('InventoryLevel', itemId)}?inventory_item_id=${itemId}&location_id=${legacyId(locationId)}`,
              quantities: ({ names }: { names: string[] }) =>
                names.filter((n) => n === 'available').map((name) => ({ name, quantity: shop.level(itemId, legacyId(locationId)) })),
            }
          : null,
    };
  };
  return {
    inventoryItems: (args: ConnectionArgs & { query?: string | null }) => {
      const wanted = args.query ? new Set([...args.query.matchAll(ID_CLAUSE)].map((m) => Number(m[1]))) : null;
      const ids = itemIds().filter((id) => !wanted || wanted.has(id)).sort((a, b) => a - b);
      return toConnection(ids.map(itemView), args);
    },

    inventorySetQuantities: ({ input }: { input: SetQuantitiesInput }, _context: unknown, info: GraphQLResolveInfo) => {
      const key = idempotencyKey(info);
      const cacheKey = key ? `${shop.domain}:${key}` : null;
      if (cacheKey && idempotency.has(cacheKey)) return idempotency.get(cacheKey);
      const fail = (index: number, message: string, code: string) => ({
        inventoryAdjustmentGroup: null,
        userErrors: [{ field: ['input', 'quantities', String(index)], message, code }],
      });
      if (input.name !== 'available' && input.name !== 'on_hand') return { inventoryAdjustmentGroup: null, userErrors: [{ field: ['input', 'name'], message: 'The quantity name is invalid', code: 'INVALID_NAME' }] };
      if (input.quantities.length > 250) return { inventoryAdjustmentGroup: null, userErrors: [{ field: ['input', 'quantities'], message: 'At most 250 quantities', code: 'INVALID' }] };
      const known = new Set(itemIds());
      for (const [index, q] of input.quantities.entries()) {
        const itemId = legacyId(q.inventoryItemId);
        if (!known.has(itemId)) return fail(index, 'The specified inventory item could not be found.', 'INVALID_INVENTORY_ITEM');
        if (!shop.hasLocation(legacyId(q.locationId))) return fail(index, 'The specified location could not be found.', 'INVALID_LOCATION');
        if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined && q.changeFromQuantity !== shop.level(itemId, legacyId(q.locationId))) {
          return fail(index, 'The specified compare quantity does not match the current quantity.', 'CHANGE_FROM_QUANTITY_STALE');
        }
      }
      const changes = input.quantities.map((q) => {
        const itemId = legacyId(q.inventoryItemId);
        const locationId = legacyId(q.locationId);
        const before = shop.level(itemId, locationId);
        shop.setLevel(itemId, q.quantity, locationId);
        return { name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity };
      });
      const result = { inventoryAdjustmentGroup: { reason: input.reason, referenceDocumentUri: input.referenceDocumentUri ?? null, changes }, userErrors: [] };
      if (cacheKey) idempotency.set(cacheKey, result);
      return result;
    },
  };
}
