import { Module } from '@nestjs/common';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { currentLogContext } from './log-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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

/** JSON logs, one line each, with the request id on every line written while serving a request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          // pino-pretty is a dev dependency: for a developer's terminal, never for production logs.
          ...(config.logFormat === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
          quietReqLogger: true,
          // Queue jobs and deliveries add their ids (business, connection, delivery, job) to each line they write.
          mixin: currentLogContext,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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
        },
      }),
    }),
  ],
})
export class LoggingModule {}
