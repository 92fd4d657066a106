import { toConnection, type ConnectionArgs } from './connection.js';
import { collectionProducts, gid, legacyId, nextId, type Collection, type ShopState } from './state.js';

const TITLE_CLAUSE = /title:'([^']*)'/g;
const MAX_SELECTIONS = 250;

type Selection = { productId: string };
interface SourceInput {
  source?: { title?: string | null; inclusion?: { selections?: Selection[] | null } | null } | null;
}
interface SourceUpdateInput {
  condition?: { id: string; inclusion?: { selectionsToAdd?: Selection[] | null; selectionsToRemove?: Selection[] | null } | null } | null;
}

const view = (c: Collection) => ({
  id: gid('Collection', c.id),
  title: c.title,
  productsCount: { count: collectionProducts(c).size, precision: 'EXACT' },
  sources: c.sources.map((s) => ({ __typename: 'CollectionConditionsSource', id: gid('CollectionConditionsSource', s.id), title: s.title, shareable: false })),
});

const error = (field: string[], message: string) => ({ collection: null, userErrors: [{ field, message }] });

/**
 * Collections as the 2026-07+ schema has them: a collection's products come from its sources, and the
 * non-deprecated way to hand-pick products is a conditions source's `inclusion.selections`.
 */
export function collectionRoot(shop: ShopState) {
  const unknownProduct = (selections: Selection[]): string | null => selections.find((s) => !shop.products.has(legacyId(s.productId)))?.productId ?? null;
  const newSources = (inputs: SourceInput[]) => {
    for (const input of inputs) {
      if (!input.source) return 'Only conditions sources are supported by the emulator';
      if (!input.source.title) return "Source title can't be blank";
      const selections = input.source.inclusion?.selections ?? [];
      if (selections.length > MAX_SELECTIONS) return `At most ${MAX_SELECTIONS} selections`;
      const missing = unknownProduct(selections);
      if (missing) return `Product ${missing} does not exist`;
    }
    return inputs.map((input) => ({ id: nextId(), title: input.source!.title!, productIds: new Set((input.source!.inclusion?.selections ?? []).map((s) => legacyId(s.productId))) }));
  };
  return {
    collections: (args: ConnectionArgs & { query?: string | null }) => {
      const titles = args.query ? new Set([...args.query.matchAll(TITLE_CLAUSE)].map((m) => m[1])) : null;
      const all = [...shop.collections.values()].filter((c) => !titles || titles.has(c.title)).sort((a, b) => a.id - b.id);
      return toConnection(all.map(view), args);
    },
    collection: ({ id }: { id: string }) => {
      const found = shop.collections.get(legacyId(id));
      return found ? view(found) : null;
    },
    collectionCreate: ({ collection: input }: { collection?: { title: string; sources?: SourceInput[] | null } | null }) => {
      if (!input?.title) return error(['collection', 'title'], "Title can't be blank");
      const sources = newSources(input.sources ?? []);
      if (typeof sources === 'string') return error(['collection', 'sources'], sources);
      const created: Collection = { id: nextId(), title: input.title, sources };
      shop.collections.set(created.id, created);
      return { collection: view(created), userErrors: [] };
    },
    collectionUpdate: ({ collection: input }: { collection?: { id?: string | null; title?: string | null; sourcesToCreate?: SourceInput[] | null; sourcesToUpdate?: SourceUpdateInput[] | null } | null }) => {
      const found = input?.id ? shop.collections.get(legacyId(input.id)) : undefined;
      if (!input || !found) return error(['collection', 'id'], 'Collection does not exist');
      const created = newSources(input.sourcesToCreate ?? []);
      if (typeof created === 'string') return error(['collection', 'sourcesToCreate'], created);
      for (const update of input.sourcesToUpdate ?? []) {
        const source = update.condition ? found.sources.find((s) => gid('CollectionConditionsSource', s.id) === update.condition!.id) : undefined;
        if (!source) return error(['collection', 'sourcesToUpdate'], 'Source does not exist on this collection');
        const adding = update.condition!.inclusion?.selectionsToAdd ?? [];
        if (adding.length > MAX_SELECTIONS) return error(['collection', 'sourcesToUpdate'], `At most ${MAX_SELECTIONS} selections`);
        const missing = unknownProduct(adding);
        if (missing) return error(['collection', 'sourcesToUpdate'], `Product ${missing} does not exist`);
      }
      for (const update of input.sourcesToUpdate ?? []) {
        const source = found.sources.find((s) => gid('CollectionConditionsSource', s.id) === update.condition!.id)!;
        for (const s of update.condition!.inclusion?.selectionsToAdd ?? []) source.productIds.add(legacyId(s.productId));
        for (const s of update.condition!.inclusion?.selectionsToRemove ?? []) source.productIds.delete(legacyId(s.productId));
      }
      found.sources.push(...created);
      if (input.title) found.title = input.title;
      return { collection: view(found), job: null, userErrors: [] };
    },
  };
}
