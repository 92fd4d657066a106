import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as Pino } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The logger of the request being served (pino-http's `req.log`, bound to its request id), if any. */
export const requestLogger = new AsyncLocalStorage<Pino>();

/**
 * Nest's LoggerService over pino. Nest calls `log(message, ...params, context)`: the last parameter is the
 * context (the class name a `new Logger('Name')` gives); an object message becomes fields of the line, an Error
 * its `err`. Inside a request, lines go through that request's logger, so they carry its id.
 */
export class AppLogger implements LoggerService {
  constructor(readonly root: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogger.getStore() ?? this.root;
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (rest.length > 0) {
      fields.context = rest.at(-1);
      rest = rest.slice(0, -1);
    }
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, ...(rest as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...fields, ...(message as Record<string, unknown>) }, ...(rest as [string?]));
    } else if (level === 'error' && typeof message === 'string' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(message);
      err.stack = rest[0];
      logger.error({ ...fields, err });
    } else {
      logger[level](fields, String(message), ...rest);
    }
  }
}
