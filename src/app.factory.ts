import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import type { AppConfig } from './config/app-config.js';

export const WEBHOOK_BODY_LIMIT = '10mb';

/** Builds the whole application; main.ts and the end-to-end tests share it so tests run what ships. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // Webhook signatures cover the exact bytes: that route gets the raw body (up to 10 MB) before any JSON parsing.
  app.use('/ecommerce/webhooks/shopify', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }));
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('POS ecommerce')
      .setDescription('Connects a POS to Shopify: orders in exactly once, stock out, sync logs for support.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
