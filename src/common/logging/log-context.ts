import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that every log line written inside a unit of work should carry (a queue job, a delivery, a business). */
export type LogContext = Record<string, string | number | undefined>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` added to every log line it writes, on top of any context already in force. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** pino's `mixin`: merged into each log line. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

const ID_FIELDS = ['businessId', 'connectionId', 'deliveryId'] as const;

/** The ids a job's data carries, under the names the logs use. */
export function idsOf(data: unknown): LogContext {
  const context: LogContext = {};
  if (typeof data !== 'object' || data === null) return context;
  for (const field of ID_FIELDS) {
    const value = (data as Record<string, unknown>)[field];
    if (typeof value === 'string') context[field] = value;
  }
  return context;
}
