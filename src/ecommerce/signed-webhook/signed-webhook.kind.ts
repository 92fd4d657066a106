import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error.js';
import type { OrderChange } from '../orders/order.js';
import type { OrderSourceEntity } from '../sources/order-source.entity.js';
import { deliveryKey, sourceTopic, type Received, type SourceKind, type SourceRequest } from '../sources/source-kind.js';
import { MappingError, orderFromPayload, type OrderMapping } from './order-mapping.js';
import { verifySignature, type SignatureConfig } from './signature.js';

export interface SignedWebhookConfig {
  signature: SignatureConfig;
  mapping: OrderMapping;
  preset?: string;
}

const parse = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new MappingError('the body is not JSON');
  }
};

/** Any sender that signs its order webhooks with HMAC (Apicbase first): the answer is decided on the request. */
@Injectable()
export class SignedWebhookKind implements SourceKind {
  readonly provider = 'signed_webhook' as const;

  receive(source: OrderSourceEntity, secret: string, request: SourceRequest): Received {
    const config = source.config as unknown as SignedWebhookConfig;
    const header = config.signature.header.toLowerCase();
    if (!verifySignature(request.body, request.headers[header], secret, config.signature)) {
      throw new DomainError('unauthenticated', request.headers[header] ? `${config.signature.header} does not match the body` : `Missing ${config.signature.header} header`);
    }
    const order = orderFromPayload(parse(request.body), config.mapping, new Date());
    // The same bytes again are the same delivery; a changed body is a new version of the order.
    const digest = createHash('sha256').update(request.body).digest('hex').slice(0, 32);
    return { kind: 'delivery', webhookId: deliveryKey(order.externalId, digest), topic: sourceTopic(this.provider, 'order'), order };
  }

  changeFor(source: OrderSourceEntity, _topic: string, payload: Record<string, unknown>, receivedAt: Date): Promise<OrderChange | null> {
    const config = source.config as unknown as SignedWebhookConfig;
    return Promise.resolve({ kind: 'version', order: orderFromPayload(payload, config.mapping, receivedAt) });
  }
}
