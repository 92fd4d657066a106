export const INVENTORY_QUEUE = 'ecommerce-inventory';
export const PUSH_JOB = 'push-inventory';
export const RECONCILE_JOB = 'reconcile-inventory';
export const RECONCILE_SCHEDULER_ID = 'reconcile-inventory';
export const RECONCILE_EVERY_MS = 60 * 60_000;
/** Changes within this window share one push: a burst of 1,000 changes becomes a few jobs, not 1,000. */
export const PUSH_DEBOUNCE_MS = 1000;

export interface InventoryJobData {
  businessId?: string;
}
