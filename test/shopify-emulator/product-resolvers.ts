import { toConnection, type ConnectionArgs } from './connection.js';
import { gid, legacyId, nextId, type ShopState, type Variant } from './state.js';

interface VariantInput {
  id?: string | null;
  sku?: string | null;
  price?: string | null;
  inventoryItem?: { sku?: string | null } | null;
  inventoryQuantities?: Array<{ locationId: string; name: string; quantity: number }> | null;
}

interface ProductSetInput {
  id?: string | null;
  title?: string | null;
  status?: string | null;
  variants?: VariantInput[] | null;
}

const SKU_CLAUSE = /sku:'?([^'\s)]+)'?/g;

export function variantView(shop: ShopState, variant: Variant) {
  const product = shop.products.get(variant.productId)!;
  return {
    id: gid('ProductVariant', variant.id),
    sku: variant.sku,
    price: variant.price,
    inventoryQuantity: shop.level(variant.inventoryItemId),
    inventoryItem: { id: gid('InventoryItem', variant.inventoryItemId), sku: variant.sku },
    product: { id: gid('Product', product.id), title: product.title },
  };
}

function productView(shop: ShopState, productId: number) {
  const product = shop.products.get(productId)!;
  return {
    id: gid('Product', product.id),
    title: product.title,
    status: product.status,
    variants: (args: ConnectionArgs) => toConnection(product.variantIds.map((id) => variantView(shop, shop.variants.get(id)!)), args),
  };
}

/** productVariants (searched by `sku:X OR sku:Y`) and productSet, the way the catalog push uses them. */
export function productRoot(shop: ShopState) {
  return {
    productVariants: (args: ConnectionArgs & { query?: string | null }) => {
      const skus = new Set([...(args.query ?? '').matchAll(SKU_CLAUSE)].map((m) => m[1]));
      const all = [...shop.variants.values()].filter((v) => !args.query || (v.sku !== null && skus.has(v.sku))).sort((a, b) => a.id - b.id);
      return toConnection(all.map((v) => variantView(shop, v)), args);
    },

    productSet: ({ input }: { input: ProductSetInput }) => {
      const inputs = input.variants ?? [];
      for (const [index, variant] of inputs.entries()) {
        const sku = variant.inventoryItem?.sku ?? variant.sku ?? null;
        if (sku && shop.rejectedSkus.has(sku)) {
          return { product: null, userErrors: [{ field: ['input', 'variants', String(index), 'sku'], message: `SKU ${sku} is not allowed in this shop`, code: 'INVALID_VARIANT' }] };
        }
        if ((variant.inventoryQuantities ?? []).some((q) => !shop.hasLocation(legacyId(q.locationId)))) {
          return { product: null, userErrors: [{ field: ['input', 'variants', String(index), 'inventoryQuantities'], message: 'Location does not exist', code: 'INVALID_LOCATION' }] };
        }
        if (variant.price !== undefined && variant.price !== null && !/^\d+(\.\d+)?$/.test(variant.price)) {
          return { product: null, userErrors: [{ field: ['input', 'variants', String(index), 'price'], message: 'Price is invalid', code: 'INVALID' }] };
        }
      }
      let product = input.id ? shop.products.get(legacyId(input.id)) : undefined;
      if (input.id && !product) return { product: null, userErrors: [{ field: ['input', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] };
      if (!product) {
        if (!input.title) return { product: null, userErrors: [{ field: ['input', 'title'], message: "Title can't be blank", code: 'BLANK' }] };
        product = { id: nextId(), title: input.title, status: input.status ?? 'ACTIVE', variantIds: [] };
        shop.products.set(product.id, product);
      }
      if (input.title) product.title = input.title;
      if (input.status) product.status = input.status;
      if (input.variants) {
        const kept: number[] = [];
        for (const variantInput of input.variants) {
          const existing = variantInput.id ? shop.variants.get(legacyId(variantInput.id)) : undefined;
          const variant: Variant = existing ?? { id: nextId(), productId: product.id, sku: null, price: '0.00', inventoryItemId: nextId() };
          variant.sku = variantInput.inventoryItem?.sku ?? variantInput.sku ?? variant.sku;
          if (variantInput.price) variant.price = variantInput.price;
          shop.variants.set(variant.id, variant);
          for (const quantity of variantInput.inventoryQuantities ?? []) {
            if (quantity.name === 'available') shop.setLevel(variant.inventoryItemId, quantity.quantity, legacyId(quantity.locationId));
          }
          kept.push(variant.id);
        }
        // productSet replaces list fields: variants left out are deleted.
        for (const id of product.variantIds) if (!kept.includes(id)) shop.variants.delete(id);
        product.variantIds = kept;
      }
      return { product: productView(shop, product.id), userErrors: [] };
    },
  };
}
