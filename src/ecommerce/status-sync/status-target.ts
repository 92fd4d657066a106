import type { OrderState } from '../orders/holdings.js';
import type { Order } from '../orders/order.js';
import type { RequestProgress } from './status-request.entities.js';
import type { StoredRequest } from './status-request.repository.js';
import type { StatusAction } from './status-rules.js';

/** What one attempt led to. */
export type AttemptResult =
  /** The shop has it. `readback` is the order as the shop has it now, ingested so that POS stock follows at once. */
  | { kind: 'done'; result: Record<string, unknown>; answer: Record<string, unknown>; readback?: Order | null }
  /** The shop runs a job for it: check again after `afterMs`. */
  | { kind: 'waiting'; progress: RequestProgress; afterMs: number; answer: Record<string, unknown> }
  /** The shop refused, or the request cannot apply there: retrying will not help. `reason` is for a support person. */
  | { kind: 'refused'; reason: string; answer: Record<string, unknown> };

export interface TargetOrder {
  externalOrderId: string;
  state: OrderState;
}

/**
 * Where an order's fate goes back to: one per kind of source that can take it (a sibling per source, like the
 * SourceKind of intake). A failure that may pass (the shop unavailable) is thrown; the sender retries it.
 */
export interface StatusTarget {
  readonly provider: string;
  /** Why `action` cannot be sent to this source now (a 409 at request time), or null. */
  readiness(connectionId: string, action: StatusAction, body: unknown): Promise<string | null>;
  attempt(request: StoredRequest, order: TargetOrder): Promise<AttemptResult>;
  /** Turns a thrown error into a permanent refusal (credentials, scopes), or null when a retry may help. */
  permanent(error: unknown): string | null;
}

export const STATUS_TARGETS = Symbol('STATUS_TARGETS');
