import { DomainError, HTTP_STATUS_OF } from '../../common/errors/domain-error.js';
import { HttpException, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { SourceProvider } from '../sources/order-source.entity.js';
import type { SourceWebhookReceiver } from './source-webhook.receiver.js';
import { WebhookInbox } from './webhook-inbox.service.js';

export const WEBHOOK_PATH = '/ecommerce/webhooks/shopify';
export const WEBHOOK_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function readBody(req: Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The exact bytes of a webhook, or null once a body over 10 MB has been answered 413. */
async function readWebhookBody(req: Request, res: Response): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = declared > WEBHOOK_BODY_LIMIT_BYTES ? null : await readBody(req, WEBHOOK_BODY_LIMIT_BYTES);
  if (body) return body;
  res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: 'The webhook body is larger than 10 MB' });
  req.resume();
  return null;
}

/**
 * POST /ecommerce/webhooks/shopify as a bare Express handler. This is the hottest path in the service and it
 * must answer within milliseconds, so it skips Nest's pipeline (guards, pipes, request logging): it reads the
 * exact bytes Shopify signed, hands them to the inbox (verify, one insert), and answers.
 */
export function webhookHttpHandler(inbox: WebhookInbox) {
  const logger = new Logger('WebhookEndpoint');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    void (async () => {
      try {
        const body = await readWebhookBody(req, res);
        if (!body) return;
        const answer = await inbox.receive(body, {
          hmac: header(req.headers['x-shopify-hmac-sha256']),
          topic: header(req.headers['x-shopify-topic']),
          shop: header(req.headers['x-shopify-shop-domain']),
          webhookId: header(req.headers['x-shopify-webhook-id']),
          eventId: header(req.headers['x-shopify-event-id']),
          triggeredAt: header(req.headers['x-shopify-triggered-at']),
        });
        // Written directly: Express's send would hash the body for an ETag nobody asks for, thousands of times a second.
        const json = JSON.stringify(answer);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
      } catch (error) {
        if (error instanceof DomainError || error instanceof HttpException) {
          const status = error instanceof DomainError ? HTTP_STATUS_OF[error.code] : error.getStatus();
          res.status(status).json({ statusCode: status, error: STATUS_CODES[status], message: error.message });
          return;
        }
        logger.error({ err: error }, 'Unexpected error on the webhook endpoint');
        if (!res.headersSent) res.status(503).json({ statusCode: 503, message: 'The delivery could not be stored; retry later' });
      }
    })();
  };
}

/** POST <path>/:sourceId for WooCommerce stores and signed-webhook senders: the exact bytes, then the receiver. */
export function sourceWebhookHttpHandler(provider: SourceProvider, receiver: SourceWebhookReceiver) {
  const logger = new Logger('SourceWebhookEndpoint');
  return (req: Request, res: Response, next: NextFunction): void => {
    const sourceId = /^\/([^/]+)\/?$/.exec(req.path)?.[1];
    if (req.method !== 'POST' || !sourceId) return next();
    void (async () => {
      try {
        const body = await readWebhookBody(req, res);
        if (!body) return;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, header(value)]));
        res.status(200).json(await receiver.receive(provider, sourceId, { body, headers }));
      } catch (error) {
        if (error instanceof DomainError) {
          const status = HTTP_STATUS_OF[error.code];
          res.status(status).json({ statusCode: status, error: STATUS_CODES[status], message: error.message, code: error.code });
          return;
        }
        logger.error({ err: error, provider, sourceId }, 'Unexpected error on a source webhook endpoint');
        if (!res.headersSent) res.status(503).json({ statusCode: 503, error: STATUS_CODES[503], message: 'The delivery could not be stored; send it again later', code: 'unavailable' });
      }
    })();
  };
}
