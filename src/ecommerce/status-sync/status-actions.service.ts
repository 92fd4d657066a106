import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { IngestedOrderRepository } from '../orders/ingested-order.repository.js';
import type { FulfillmentDto } from './status-actions.dto.js';
import { StatusRequestRepository } from './status-request.repository.js';
import { ACTION_LABEL, DUPLICATE_WINDOW_MS, fingerprint, refusal, type ActionBody, type FulfillmentBody, type StatusAction } from './status-rules.js';
import { STATUS_TARGETS, type StatusTarget } from './status-target.js';
import type { OrderState } from '../orders/holdings.js';

export interface RequestAccepted {
  requestId: string;
  status: 'pending' | 'done' | 'failed';
  /** True when this repeats a request already stored (same Idempotency-Key, or the same body within a minute). */
  duplicate: boolean;
  /** Where the request's state, attempts and the shop's answer show. */
  orderUrl: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const PROVIDER_NAME: Record<string, string> = { signed_webhook: 'signed-webhook', woocommerce: 'WooCommerce', shopify: 'Shopify' };

/**
 * Takes a status request (fulfil, mark paid, cancel) for an order: checks it against the order as we know it under
 * the order's row lock (so it cannot race an ingestion or a twin request), and stores it for the workers. Nothing
 * moves in POS stock here: stock follows what the shop does, once it has done it.
 */
@Injectable()
export class StatusActionsService {
  private readonly targets: Map<string, StatusTarget>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STATUS_TARGETS) targets: StatusTarget[],
    private readonly orders: IngestedOrderRepository,
    private readonly requests: StatusRequestRepository,
  ) {
    this.targets = new Map(targets.map((t) => [t.provider, t]));
  }

  async request(orderId: string, action: StatusAction, dto: object, options: { idempotencyKey?: string | string[]; principal?: Principal }): Promise<RequestAccepted> {
    const key = idempotencyKeyOf(options.idempotencyKey);
    const print = fingerprint(action, dto);
    const found = await this.dataSource.manager.transaction(async (manager) => {
      const order = await this.orders.findState(manager, orderId, true);
      if (!order) throw new DomainError('not_found', `Order ${orderId} not found`);
      const repeat = await this.requests.findRepeat(manager, orderId, key, print, new Date(Date.now() - DUPLICATE_WINDOW_MS));
      if (repeat) {
        if (repeat.fingerprint !== print) throw new DomainError('unprocessable', `Idempotency-Key ${key} was already used for another request on this order (${ACTION_LABEL[repeat.action]} ${repeat.id}): use a new key for a new request`);
        return { id: repeat.id, status: repeat.status, duplicate: true };
      }
      const target = this.targets.get(order.provider);
      if (!target) throw new DomainError('conflict', `orders from ${PROVIDER_NAME[order.provider] ?? order.provider} sources cannot be updated back: the source offers no way to take it`);
      const body = action === 'fulfillment' ? resolveLines(order.state, dto) : (dto as ActionBody);
      const refused = refusal(action, order.state, await this.requests.open(manager, orderId), body);
      if (refused) throw new DomainError('conflict', refused);
      const notReady = await target.readiness(order.connectionId, action, body);
      if (notReady) throw new DomainError('conflict', notReady);
      const id = await this.requests.create(manager, {
        businessId: order.businessId,
        orderId,
        connectionId: order.connectionId,
        provider: order.provider,
        action,
        body,
        idempotencyKey: key,
        fingerprint: print,
        requestedBy: options.principal ? `${options.principal.role}:${options.principal.id}` : 'unknown',
      });
      return { id, status: 'pending' as const, duplicate: false };
    });
    return { requestId: found.id, status: found.status === 'sending' ? 'pending' : found.status, duplicate: found.duplicate, orderUrl: `/ecommerce/orders/${orderId}` };
  }
}

function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header) || !IDEMPOTENCY_KEY.test(header)) throw new DomainError('invalid', 'Idempotency-Key must be one header of 1 to 255 visible ASCII characters');
  return header;
}

/** The lines asked for, as the order's own lines; a SKU or product the order does not have is a 422 naming it. */
function resolveLines(state: OrderState, dto: FulfillmentDto): FulfillmentBody {
  if (dto.trackingUrl && !dto.trackingNumber) throw new DomainError('invalid', 'trackingUrl needs trackingNumber: Shopify shows a tracking URL only with its number');
  const { lines, ...rest } = dto;
  if (!lines) return { ...rest };
  const wanted = new Map<string, { externalLineId: string; sku: string | null; quantity: number }>();
  lines.forEach((line, index) => {
    const match = state.lines.find((l) => (line.productId ? l.productId === line.productId : l.sku === line.sku));
    if (!match) throw new DomainError('unprocessable', `lines.${index}: ${line.productId ? `product ${line.productId}` : `SKU ${line.sku}`} is not a line of this order`);
    const known = wanted.get(match.externalLineId);
    wanted.set(match.externalLineId, { externalLineId: match.externalLineId, sku: match.sku, quantity: (known?.quantity ?? 0) + line.quantity });
  });
  return { ...rest, lines: [...wanted.values()] };
}
