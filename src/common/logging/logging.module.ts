import { Global, Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppLogger, requestLogger } from './app-logger.js';
import { currentLogContext } from './log-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** Headers and fields that carry secrets; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-shopify-hmac-sha256"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.token',
  '*.key',
  '*.secret',
  '*.password',
];

function httpLogger(config: AppConfig): HttpLogger {
  const root = pino({
    level: config.logLevel,
    // pino-pretty is a dev dependency: for a developer's terminal, never for production logs.
    ...(config.logFormat === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
    // Queue jobs and deliveries add their ids (business, connection, delivery, job) to each line they write.
    mixin: currentLogContext,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
  return pinoHttp({
    logger: root,
    quietReqLogger: true,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      // The query string can hold OAuth codes and signatures: log the path only.
      req: (req: Request & { id?: string }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
    },
    // Probes and scrapes come every few seconds; logging each would drown the lines that matter.
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
  });
}

/**
 * JSON logs, one line each (pino), with the request id on every line written while serving a request
 * (pino-http). `AppLogger` is Nest's logger: main.ts hands it to the application.
 */
@Global()
@Module({
  providers: [
    { provide: HTTP_LOGGER, inject: [APP_CONFIG], useFactory: httpLogger },
    { provide: AppLogger, inject: [HTTP_LOGGER], useFactory: (http: HttpLogger) => new AppLogger(http.logger) },
  ],
  exports: [AppLogger],
})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    const http = this.http;
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        http(req, res);
        requestLogger.run(req.log, next);
      })
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
