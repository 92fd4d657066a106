export const CATALOG_QUEUE = 'ecommerce-catalog';
export const PRODUCT_PUSH_JOB = 'push-products';
export const COLLECTION_PUSH_JOB = 'push-collections';

export interface CatalogJobData {
  businessId: string;
}
