import { toConnection, type ConnectionArgs } from './connection.js';
import { gid, legacyId, nextId, type Collection, type ShopState } from './state.js';

const TITLE_CLAUSE = /title:'([^']*)'/g;

const view = (c: Collection) => ({ id: gid('Collection', c.id), title: c.title, productsCount: c.productIds.size });

/** Custom collections: search by title, create, add products (at most 250 a call, as Shopify allows). */
export function collectionRoot(shop: ShopState) {
  const addProducts = (collection: Collection, productIds: string[]) => {
    for (const id of productIds) {
      const product = legacyId(id);
      if (!shop.products.has(product)) return [{ field: ['productIds'], message: `Product ${id} does not exist` }];
    }
    for (const id of productIds) collection.productIds.add(legacyId(id));
    return [];
  };
  return {
    collections: (args: ConnectionArgs & { query?: string | null }) => {
      const titles = args.query ? new Set([...args.query.matchAll(TITLE_CLAUSE)].map((m) => m[1])) : null;
      const all = [...shop.collections.values()].filter((c) => !titles || titles.has(c.title)).sort((a, b) => a.id - b.id);
      return toConnection(all.map(view), args);
    },
    collectionCreate: ({ input }: { input: { title?: string | null; products?: string[] | null } }) => {
      if (!input.title) return { collection: null, userErrors: [{ field: ['input', 'title'], message: "Title can't be blank" }] };
      const collection: Collection = { id: nextId(), title: input.title, productIds: new Set() };
      const errors = addProducts(collection, input.products ?? []);
      if (errors.length > 0) return { collection: null, userErrors: errors };
      shop.collections.set(collection.id, collection);
      return { collection: view(collection), userErrors: [] };
    },
    collectionAddProducts: ({ id, productIds }: { id: string; productIds: string[] }) => {
      const collection = shop.collections.get(legacyId(id));
      if (!collection) return { collection: null, userErrors: [{ field: ['id'], message: 'Collection does not exist' }] };
      if (productIds.length > 250) return { collection: null, userErrors: [{ field: ['productIds'], message: 'At most 250 products' }] };
      const errors = addProducts(collection, productIds);
      return errors.length > 0 ? { collection: null, userErrors: errors } : { collection: view(collection), userErrors: [] };
    },
  };
}
