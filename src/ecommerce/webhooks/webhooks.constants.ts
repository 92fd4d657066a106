export const WEBHOOKS_QUEUE = 'ecommerce-webhooks';
export const PROCESS_DELIVERY_JOB = 'process-delivery';
export const SWEEP_JOB = 'sweep-deliveries';
export const SWEEP_SCHEDULER_ID = 'sweep-deliveries';
/** A delivery still `received` this long after arrival lost its job (Redis was away): the sweeper re-enqueues it. */
export const SWEEP_AFTER_MS = 30_000;
export const SWEEP_EVERY_MS = 60_000;
export const PROCESS_ATTEMPTS = 5;

export interface ProcessDeliveryJob {
  deliveryId: string;
}
