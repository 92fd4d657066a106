import type { OpenAPIObject } from '@nestjs/swagger';
import { DOMAIN_ERROR_CODES } from '../errors/domain-error.js';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 404 },
    error: { type: 'string', example: 'Not Found' },
    message: { type: 'string', description: 'What is wrong, in words that name the field or the thing', example: 'Order 2b0c… not found' },
    code: { type: 'string', enum: [...DOMAIN_ERROR_CODES] },
    fields: {
      type: 'array',
      description: '400 on a body or query that fails validation: each field and what is wrong with it',
      items: { type: 'object', required: ['field', 'messages'], properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } } },
    },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'A field is missing, unknown or malformed; the message names it',
  '401': 'No bearer token, or an unknown or revoked one',
  '403': 'The key role may not do this',
  '404': 'The thing named in the path or query does not exist',
  '409': 'The request conflicts with the current state (for example a connection that is not active)',
  '422': 'Well-formed, but refused (for example a location the shop does not have)',
  '503': 'A dependency (Postgres, Redis or Shopify) is unreachable now; retry later',
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

const SHOPIFY_WEBHOOK = {
  post: {
    tags: ['webhooks'],
    summary: 'Shopify webhooks (orders, refunds, app/uninstalled, compliance topics)',
    description:
      'Verifies X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with SHOPIFY_API_SECRET), stores the delivery and answers once it is stored; the work is done in the background.',
    security: [],
    parameters: ['X-Shopify-Hmac-Sha256', 'X-Shopify-Topic', 'X-Shopify-Shop-Domain', 'X-Shopify-Webhook-Id'].map((name) => ({ in: 'header', name, required: true, schema: { type: 'string' } })),
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: "Shopify's webhook body for the topic" } } } },
    responses: {
      '200': {
        description: 'Stored (or a duplicate of a stored delivery): `{ok: true}`; stored but not processable: `{ok: false, reason}`',
        content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' }, reason: { type: 'string' } } } } },
      },
      '401': { description: 'Missing headers, or the signature does not match the body', content: errorContent },
      '413': { description: 'The body is larger than 10 MB' },
      '503': { description: 'The delivery could not be stored: Shopify retries' },
    },
  },
};

/**
 * What Nest's scan of the controllers cannot know: the error answers every operation can give (one schema, from
 * the one error filter), the webhook endpoint (plain Express, mounted before Nest), and the shape of the bearer
 * token (an API key or ADMIN_TOKEN, not a JWT).
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Error: ERROR_SCHEMA };
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'API key (pk_…) or ADMIN_TOKEN', description: 'Authorization: Bearer <key>' },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      for (const [status, description] of Object.entries(ERRORS)) {
        if (isPublic && (status === '401' || status === '403')) continue;
        operation.responses[status] ??= { description, content: errorContent };
      }
    }
  }
  document.paths['/ecommerce/webhooks/shopify'] = SHOPIFY_WEBHOOK as unknown as OpenAPIObject['paths'][string];
  return document;
}
