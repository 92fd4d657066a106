import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CONSOLE_PATH, consoleHandler } from './console/console-assets.js';
import { AppLogger } from './common/logging/app-logger.js';
import { AppModule } from './app.module.js';
import { SIGNED_WEBHOOK_PATH, WOO_WEBHOOK_PATH } from './ecommerce/sources/sources.service.js';
import { SourceWebhookReceiver } from './ecommerce/webhooks/source-webhook.receiver.js';
import { exactly, interceptBeforeExpress, sourceWebhookHttpHandler, webhookHttpHandler, withId, WEBHOOK_PATH } from './ecommerce/webhooks/webhook-http.handler.js';
import { WebhookInbox } from './ecommerce/webhooks/webhook-inbox.service.js';
import { completeDocument } from './common/openapi/complete-document.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import type { AppConfig } from './config/app-config.js';
import type { WorkerThreadHandle } from './runtime/worker-supervisor.js';

const WORKER_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/**
 * Builds the whole application; main.ts and the end-to-end tests share it so tests run what ships. Under ROLE=all
 * main.ts builds it as ROLE=api and runs the workers in `workerThread` (see worker-thread.ts).
 */
export async function createApp(config: AppConfig, workerThread: WorkerThreadHandle | null = null): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, workerThread), {
    bufferLogs: true,
  });
  app.useLogger(app.get(AppLogger));
  if (config.role === 'worker') {
    // A worker listens only so that probes and Prometheus can reach it: its job metrics live in this process.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (WORKER_PATHS.has(req.path)) return next();
      res.status(404).json({ statusCode: 404, message: 'This process runs with ROLE=worker: it serves only /health and /metrics' });
    });
  } else {
    // Webhooks take the bare, fast path, before Express and Nest's middleware (see the handlers).
    const sources = app.get(SourceWebhookReceiver, { strict: false });
    interceptBeforeExpress(app.getHttpServer(), [
      { pattern: exactly(WEBHOOK_PATH), handle: webhookHttpHandler(app.get(WebhookInbox, { strict: false })) },
      { pattern: withId(WOO_WEBHOOK_PATH), handle: sourceWebhookHttpHandler('woocommerce', sources) },
      { pattern: withId(SIGNED_WEBHOOK_PATH), handle: sourceWebhookHttpHandler('signed_webhook', sources) },
    ]);
    app.use(CONSOLE_PATH, consoleHandler());
  }
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  const document = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('POS ecommerce')
        .setDescription('Connects a POS to Shopify: orders in exactly once, stock out, sync logs for support.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
