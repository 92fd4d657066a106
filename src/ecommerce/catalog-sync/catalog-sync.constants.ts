export const CATALOG_QUEUE = 'ecommerce-catalog';
export const PRODUCT_PUSH_JOB = 'push-products';

export interface CatalogJobData {
  businessId: string;
}
