export const HOUSEKEEPING_QUEUE = 'ecommerce-housekeeping';
export const RETENTION_JOB = 'retention';
export const RETENTION_SCHEDULER_ID = 'retention:daily';
/** Every day at 03:17 UTC: a quiet hour, off the round minute that everyone else's cron jobs use. */
export const RETENTION_CRON = '17 3 * * *';
/** Rows per delete statement: short statements keep locks brief and let other writers through between them. */
export const RETENTION_BATCH = 1000;
