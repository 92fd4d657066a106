import { Injectable } from '@nestjs/common';
import { numericId } from './order-mapper.js';
import { ShopifyGraphqlClient, type ShopSession } from './shopify-graphql.client.js';

/** `location` without an id is the shop's primary location (`locations(first: 1)` would be the first by name). */
const LOCATION = /* GraphQL */ `
  query Location($id: ID) {
    location(id: $id) { id name isActive }
  }
`;

export interface ShopLocation {
  id: string;
  name: string;
  isActive: boolean;
}

const VARIANTS_BY_SKU = /* GraphQL */ `
  query VariantsBySku($query: String!, $first: Int!) {
    productVariants(first: $first, query: $query) {
      nodes { id sku product { id } inventoryItem { id } }
    }
  }
`;

const PRODUCT_SET = /* GraphQL */ `
  mutation ProductSet($input: ProductSetInput!) {
    productSet(input: $input, synchronous: true) {
      product { id variants(first: 1) { nodes { id sku inventoryItem { id } } } }
      userErrors { field message code }
    }
  }
`;

/** A Shopify product with one variant, as the catalog push stores it (numeric ids). */
export interface ShopifyVariantRef {
  productId: string;
  variantId: string;
  inventoryItemId: string;
  sku: string | null;
}

export interface CatalogItem {
  title: string;
  sku: string;
  price: string;
  available: number;
}

export type ProductSetResult = { ok: true; variant: ShopifyVariantRef } | { ok: false; message: string };

interface VariantNode {
  id: string;
  sku: string | null;
  product: { id: string };
  inventoryItem: { id: string };
}

function toRef(productId: string, node: { id: string; sku: string | null; inventoryItem: { id: string } }): ShopifyVariantRef {
  return { productId: numericId(productId)!, variantId: numericId(node.id)!, inventoryItemId: numericId(node.inventoryItem.id)!, sku: node.sku };
}

/** Products, variants and locations on Shopify: the calls the catalog push makes. */
@Injectable()
export class ShopifyCatalogClient {
  constructor(private readonly graphql: ShopifyGraphqlClient) {}

  /** The location with this id, or the shop's primary location without one; null when the shop has no such location. */
  async location(session: ShopSession, id: string | null = null): Promise<ShopLocation | null> {
    const answer = await this.graphql.request<{ location: ShopLocation | null }>(session, LOCATION, { id });
    return answer.location;
  }

  /** Existing variants for these SKUs, so that a product already in the shop is adopted, not created twice. */
  async variantsBySku(session: ShopSession, skus: string[]): Promise<Map<string, ShopifyVariantRef>> {
    const found = new Map<string, ShopifyVariantRef>();
    if (skus.length === 0) return found;
    const query = skus.map((sku) => `sku:'${sku.replace(/['\\]/g, '')}'`).join(' OR ');
    const answer = await this.graphql.request<{ productVariants: { nodes: VariantNode[] } }>(session, VARIANTS_BY_SKU, { query, first: Math.min(250, skus.length * 2) });
    for (const node of answer.productVariants.nodes) {
      if (node.sku && !found.has(node.sku)) found.set(node.sku, toRef(node.product.id, node));
    }
    return found;
  }

  /** Creates the product, or updates it (name, price, inventory at the location) when `existing` is given. */
  async setProduct(session: ShopSession, locationId: string, item: CatalogItem, existing: ShopifyVariantRef | null): Promise<ProductSetResult> {
    const input = {
      ...(existing ? { id: `gid://shopify/Product/${existing.productId}` } : { status: 'ACTIVE' }),
      title: item.title,
      productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }],
      variants: [
        {
          ...(existing ? { id: `gid://shopify/ProductVariant/${existing.variantId}` } : {}),
          price: item.price,
          optionValues: [{ optionName: 'Title', name: 'Default Title' }],
          inventoryItem: { sku: item.sku, tracked: true },
          inventoryQuantities: [{ locationId, name: 'available', quantity: item.available }],
        },
      ],
    };
    const answer = await this.graphql.request<{
      productSet: { product: { id: string; variants: { nodes: Array<{ id: string; sku: string | null; inventoryItem: { id: string } }> } } | null; userErrors: Array<{ message: string }> };
    }>(session, PRODUCT_SET, { input });
    const { product, userErrors } = answer.productSet;
    if (userErrors.length > 0 || !product?.variants.nodes[0]) {
      return { ok: false, message: userErrors.map((e) => e.message).join('; ') || 'Shopify returned no variant' };
    }
    return { ok: true, variant: toRef(product.id, product.variants.nodes[0]) };
  }
}

/** Products a collection holds come from its sources; ours is one conditions source of hand-picked products. */
const SOURCE_FIELDS = 'sources { id title ... on CollectionConditionsSource { shareable } }';
const POS_SOURCE_TITLE = 'POS category';

const COLLECTIONS_BY_TITLE = /* GraphQL */ `
  query CollectionsByTitle($query: String!) {
    collections(first: 5, query: $query) { nodes { id title } }
  }
`;

const COLLECTION_SOURCES = /* GraphQL */ `
  query CollectionSources($id: ID!) {
    collection(id: $id) { id ${SOURCE_FIELDS} }
  }
`;

const COLLECTION_CREATE = /* GraphQL */ `
  mutation CollectionCreate($collection: CollectionCreateInput!) {
    collectionCreate(collection: $collection) { collection { id } userErrors { field message } }
  }
`;

const COLLECTION_UPDATE = /* GraphQL */ `
  mutation CollectionUpdate($collection: CollectionUpdateInput!) {
    collectionUpdate(collection: $collection) { collection { id ${SOURCE_FIELDS} } userErrors { field message } }
  }
`;

export const MAX_PRODUCTS_PER_COLLECTION_CALL = 250;

interface SourceNode {
  id: string;
  title: string;
  shareable?: boolean;
}

/**
 * Collections for POS categories. Since 2026-07 a collection's products come from its sources
 * (`collectionAddProducts` and `collectionCreate(input:)` are deprecated): the app keeps one conditions source
 * of selected products per collection and adds products with `collectionUpdate` `inclusion.selectionsToAdd`.
 */
@Injectable()
export class ShopifyCollectionsClient {
  constructor(private readonly graphql: ShopifyGraphqlClient) {}

  async findByTitle(session: ShopSession, title: string): Promise<string | null> {
    const answer = await this.graphql.request<{ collections: { nodes: Array<{ id: string; title: string }> } }>(session, COLLECTIONS_BY_TITLE, {
      query: `title:'${title.replace(/['\\]/g, '')}'`,
    });
    const match = answer.collections.nodes.find((c) => c.title === title);
    return match ? numericId(match.id) : null;
  }

  async create(session: ShopSession, title: string): Promise<string> {
    const answer = await this.graphql.request<{ collectionCreate: { collection: { id: string } | null; userErrors: Array<{ message: string }> } }>(session, COLLECTION_CREATE, {
      collection: { title, sources: [{ source: { title: POS_SOURCE_TITLE, inclusion: { selections: [] } } }] },
    });
    const { collection, userErrors } = answer.collectionCreate;
    if (!collection) throw new Error(userErrors.map((e) => e.message).join('; ') || 'Shopify created no collection');
    return numericId(collection.id)!;
  }

  async addProducts(session: ShopSession, collectionId: string, productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    const id = `gid://shopify/Collection/${collectionId}`;
    let sourceId = await this.posSourceId(session, id);
    for (let start = 0; start < productIds.length; start += MAX_PRODUCTS_PER_COLLECTION_CALL) {
      const selections = productIds.slice(start, start + MAX_PRODUCTS_PER_COLLECTION_CALL).map((p) => ({ productId: `gid://shopify/Product/${p}` }));
      // A collection adopted by title may have no source of ours yet: the first call creates it with the selections.
      const collection = sourceId
        ? { id, sourcesToUpdate: [{ condition: { id: sourceId, inclusion: { selectionsToAdd: selections } } }] }
        : { id, sourcesToCreate: [{ source: { title: POS_SOURCE_TITLE, inclusion: { selections } } }] };
      const answer = await this.graphql.request<{ collectionUpdate: { collection: { sources: SourceNode[] } | null; userErrors: Array<{ message: string }> } }>(
        session,
        COLLECTION_UPDATE,
        { collection },
      );
      const { userErrors } = answer.collectionUpdate;
      if (userErrors.length > 0) throw new Error(userErrors.map((e) => e.message).join('; '));
      sourceId ??= pickSource(answer.collectionUpdate.collection?.sources ?? []);
    }
  }

  private async posSourceId(session: ShopSession, id: string): Promise<string | null> {
    const answer = await this.graphql.request<{ collection: { sources: SourceNode[] } | null }>(session, COLLECTION_SOURCES, { id });
    if (!answer.collection) throw new Error(`Collection ${numericId(id)} no longer exists in the shop`);
    return pickSource(answer.collection.sources);
  }
}

/** Our source: a non-shareable conditions source titled as we title it. */
function pickSource(sources: SourceNode[]): string | null {
  return sources.find((s) => s.title === POS_SOURCE_TITLE && s.shareable === false)?.id ?? null;
}
