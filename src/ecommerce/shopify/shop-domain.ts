export const SHOP_DOMAIN_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

export function isShopDomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 255 && SHOP_DOMAIN_PATTERN.test(value);
}

/** Every call to Shopify starts here: SHOPIFY_SHOP_URL_TEMPLATE with the shop filled in. */
export function shopBaseUrl(template: string, shop: string): string {
  if (!isShopDomain(shop)) throw new Error(`Not a shop domain: ${String(shop)}`);
  return template.replace('{shop}', shop.toLowerCase());
}
