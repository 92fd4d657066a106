import type { Order, OrderChange } from '../orders/order.js';
import type { OrderSourceEntity, SourceProvider } from './order-source.entity.js';

/** A webhook request as a source endpoint receives it: the exact bytes and the headers, lowercased. */
export interface SourceRequest {
  body: Buffer;
  headers: Record<string, string | undefined>;
}

/** What a verified request is: a delivery to store, or a ping to answer 200 without storing. */
export type Received =
  | { kind: 'ping' }
  | {
      kind: 'delivery';
      /** The inbox's dedup key: begins with the order id and `|`, so an order's timeline finds its deliveries. */
      webhookId: string;
      /** source/<provider>/<event> */
      topic: string;
      /** The order, when the kind must vet it before answering (signed webhooks refuse unknown SKUs with 422). */
      order?: Order;
    };

/**
 * What the service needs to know of one kind of order source (convoy's verifier idea: the kind is configuration
 * plus these three rules). A new kind is a sibling folder implementing this and listed in SourcesModule.
 */
export interface SourceKind {
  readonly provider: SourceProvider;
  /** Verifies and reads a webhook request; throws a DomainError (401, 422) naming what is wrong. */
  receive(source: OrderSourceEntity, secret: string, request: SourceRequest): Received;
  /** The order change a stored delivery tells, or null when it changes nothing. Runs for processing and replay. */
  changeFor(source: OrderSourceEntity, topic: string, payload: Record<string, unknown>, receivedAt: Date): Promise<OrderChange | null>;
}

export const SOURCE_KINDS = Symbol('SOURCE_KINDS');
export const sourceTopic = (provider: SourceProvider, event: string) => `source/${provider}/${event}`;
export const deliveryKey = (externalOrderId: string, version: string) => `${externalOrderId}|${version}`.slice(0, 255);
