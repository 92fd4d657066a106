import { DomainError, HTTP_STATUS_OF } from '../../common/errors/domain-error.js';
import { HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SourceProvider } from '../sources/order-source.entity.js';
import type { SourceWebhookReceiver } from './source-webhook.receiver.js';
import { WebhookInbox } from './webhook-inbox.service.js';

export const WEBHOOK_PATH = '/ecommerce/webhooks/shopify';
export const WEBHOOK_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
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

/** Written directly, for a bare `node:http` response as for Express's: Express's send would also hash it for an ETag. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
}

/** The exact bytes of a webhook, or null once a body over 10 MB has been answered 413. */
async function readWebhookBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = declared > WEBHOOK_BODY_LIMIT_BYTES ? null : await readBody(req, WEBHOOK_BODY_LIMIT_BYTES);
  if (body) return body;
  sendJson(res, 413, { statusCode: 413, error: 'Payload Too Large', message: 'The webhook body is larger than 10 MB' });
  req.resume();
  return null;
}

/**
 * A POST to /ecommerce/webhooks/shopify, on a bare `node:http` request. This is the hottest path in the service and
 * it must answer within milliseconds, so it skips Nest's pipeline (guards, pipes, request logging) and Express
 * (see interceptBeforeExpress): it reads the exact bytes Shopify signed, hands them to the inbox
 * (verify, one grouped insert), and answers.
 */
export function webhookHttpHandler(inbox: WebhookInbox) {
  const logger = new Logger('WebhookEndpoint');
  return (req: IncomingMessage, res: ServerResponse): void => {
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
        sendJson(res, 200, answer);
      } catch (error) {
        if (error instanceof DomainError || error instanceof HttpException) {
          const status = error instanceof DomainError ? HTTP_STATUS_OF[error.code] : error.getStatus();
          sendJson(res, status, { statusCode: status, error: STATUS_CODES[status], message: error.message });
          return;
        }
        logger.error({ err: error }, 'Unexpected error on the webhook endpoint');
        if (!res.headersSent) sendJson(res, 503, { statusCode: 503, message: 'The delivery could not be stored; retry later' });
      }
    })();
  };
}

/** A webhook endpoint answered before Express: POSTs whose path matches `pattern`, its groups as `params`. */
export interface WebhookRoute {
  pattern: RegExp;
  handle: (req: IncomingMessage, res: ServerResponse, params: string[]) => void;
}

/** `path` itself, with or without a trailing slash, in any case (as Express matched its mount). */
export const exactly = (path: string) => new RegExp(`^${path}/?$`, 'i');
/** `path/:id`, with or without a trailing slash. */
export const withId = (path: string) => new RegExp(`^${path}/([^/]+)/?$`, 'i');

/**
 * Answers the webhook routes before Express sees them: Express's per-request work (its router walking the
 * middleware stack, decorating request and response, parsing the URL) cost about as much of the acknowledging
 * thread as the rest of an acknowledgement, and churned the heap. Every other request still goes to Express, the
 * server's own request listener.
 */
export function interceptBeforeExpress(server: Server, routes: WebhookRoute[]): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (listeners.length !== 1) throw new Error(`Expected Express as the HTTP server's only request listener, found ${listeners.length}`);
  const [express] = listeners;
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      const path = (req.url ?? '').split('?', 1)[0];
      for (const route of routes) {
        const match = route.pattern.exec(path);
        if (match) return route.handle(req, res, match.slice(1));
      }
    }
    express(req, res);
  });
}

/** POST <path>/:sourceId for WooCommerce stores and signed-webhook senders: the exact bytes, then the receiver. */
export function sourceWebhookHttpHandler(provider: SourceProvider, receiver: SourceWebhookReceiver) {
  const logger = new Logger('SourceWebhookEndpoint');
  return (req: IncomingMessage, res: ServerResponse, [sourceId]: string[]): void => {
    void (async () => {
      try {
        const body = await readWebhookBody(req, res);
        if (!body) return;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, header(value)]));
        sendJson(res, 200, await receiver.receive(provider, sourceId, { body, headers }));
      } catch (error) {
        if (error instanceof DomainError) {
          const status = HTTP_STATUS_OF[error.code];
          sendJson(res, status, { statusCode: status, error: STATUS_CODES[status], message: error.message, code: error.code });
          return;
        }
        logger.error({ err: error, provider, sourceId }, 'Unexpected error on a source webhook endpoint');
        if (!res.headersSent) sendJson(res, 503, { statusCode: 503, error: STATUS_CODES[503], message: 'The delivery could not be stored; send it again later', code: 'unavailable' });
      }
    })();
  };
}
