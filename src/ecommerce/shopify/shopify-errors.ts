/** Shopify could not be reached or kept failing after every retry. */
export class ShopifyUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastStatus: number | null,
  ) {
    super(message);
    this.name = 'ShopifyUnavailableError';
  }
}

/** Shopify refused the credentials (revoked or expired token, wrong app secret). Retrying will not help. */
export class ShopifyAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopifyAuthError';
  }
}

/** Shopify answered, but with errors about the request itself (GraphQL errors or userErrors). */
export class ShopifyRequestError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ShopifyRequestError';
  }
}
