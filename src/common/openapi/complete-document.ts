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

const sourceAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean', enum: [true] }, duplicate: { type: 'boolean', description: 'This order (or these bytes) arrived before' } } } } },
});
const sourceIdParameter = { in: 'path', name: 'sourceId', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The id POST /ecommerce/sources/... answered' };

const WOOCOMMERCE_WEBHOOK = {
  post: {
    tags: ['webhooks'],
    summary: "A WooCommerce store's order webhooks (order.created, .updated, .deleted, .restored) and its ping",
    description:
      'Verifies X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body with the secret registered with the store), stores the delivery and answers; the work is done in the background. The unsigned form-encoded ping (`webhook_id=N`) WooCommerce sends when a webhook is created is answered 200.',
    security: [],
    parameters: [sourceIdParameter, ...['X-WC-Webhook-Signature', 'X-WC-Webhook-Topic'].map((name) => ({ in: 'header', name, required: false, schema: { type: 'string' } }))],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'The order, as GET /wp-json/wc/v3/orders/:id shows it; {id} for order.deleted' } } } },
    responses: {
      '200': sourceAnswer('Stored (or the ping)'),
      '401': { description: 'Missing or wrong signature', content: errorContent },
      '404': { description: 'No active WooCommerce source with this id', content: errorContent },
      '413': { description: 'The body is larger than 10 MB' },
      '422': { description: 'Not an order topic, or not an order', content: errorContent },
      '503': { description: 'The delivery could not be stored (polling will find the order)', content: errorContent },
    },
  },
};

const SIGNED_WEBHOOK = {
  post: {
    tags: ['webhooks'],
    summary: 'Orders from a sender that signs with HMAC (Apicbase): the answer is decided on the request',
    description:
      "Verifies the source's signature header over the raw body, reads the order by the source's mapping, refuses article numbers no POS product has, stores the order and ingests it before answering. 200 means the order is in the POS (a duplicate is 200 too); nothing is stored on any other answer.",
    security: [],
    parameters: [sourceIdParameter],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: "The sender's order, read by the source's mapping" } } } },
    responses: {
      '200': sourceAnswer('Stored and ingested (or a duplicate of a stored order)'),
      '401': { description: 'Missing or wrong signature', content: errorContent },
      '404': { description: 'No active signed-webhook source with this id', content: errorContent },
      '413': { description: 'The body is larger than 10 MB' },
      '422': { description: 'The body does not fit the mapping (the message names the path), or names article numbers no POS product has (listed)', content: errorContent },
      '503': { description: 'The order could not be stored: send it again later', content: errorContent },
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
        // An operation may describe an error answer in its own words; its body is still the one error schema.
        const own = operation.responses[status] as { description?: string; content?: typeof errorContent } | undefined;
        operation.responses[status] = { description: own?.description ?? description, content: own?.content ?? errorContent };
      }
    }
  }
  document.paths['/ecommerce/webhooks/shopify'] = SHOPIFY_WEBHOOK as unknown as OpenAPIObject['paths'][string];
  document.paths['/ecommerce/webhooks/woocommerce/{sourceId}'] = WOOCOMMERCE_WEBHOOK as unknown as OpenAPIObject['paths'][string];
  document.paths['/ecommerce/webhooks/in/{sourceId}'] = SIGNED_WEBHOOK as unknown as OpenAPIObject['paths'][string];
  return document;
}
