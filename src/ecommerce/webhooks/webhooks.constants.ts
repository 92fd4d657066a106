export const WEBHOOKS_QUEUE = 'ecommerce-webhooks';
export const PROCESS_DELIVERY_JOB = 'process-delivery';
export const SWEEP_JOB = 'sweep-deliveries';
export const SWEEP_SCHEDULER_ID = 'sweep-deliveries';
/**
 * A delivery still `received` this long after arrival may have lost its job (Redis was away, or the process died
 * between the commit and the enqueue): the sweeper enqueues it again. Enqueuing a delivery whose job still exists
 * is a no-op (the job id is the delivery id), so a short delay costs nothing but a query.
 */
export const SWEEP_AFTER_MS = 10_000;
export const SWEEP_EVERY_MS = 15_000;
export const PROCESS_ATTEMPTS = 5;

export interface ProcessDeliveryJob {
  deliveryId: string;
}
