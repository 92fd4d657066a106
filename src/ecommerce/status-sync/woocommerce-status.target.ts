import { Injectable } from '@nestjs/common';
import { SourceRepository } from '../sources/source.repository.js';
import { WooCommerceClient, WooRequestError } from '../woocommerce/woocommerce.client.js';
import { WooCommerceKind } from '../woocommerce/woocommerce.kind.js';
import type { StoredRequest } from './status-request.repository.js';
import type { CancelBody, FulfillmentBody, StatusAction } from './status-rules.js';
import type { AttemptResult, StatusTarget, TargetOrder } from './status-target.js';

/**
 * WooCommerce: its order status carries the fate (completed, paid through set_paid, cancelled), and an order note
 * carries the tracking. WooCommerce core fulfils whole orders only and restocks a cancelled order itself, so those
 * two choices are refused up front. Every call here is safe to repeat: setting a status twice changes nothing.
 */
@Injectable()
export class WooCommerceStatusTarget implements StatusTarget {
  readonly provider = 'woocommerce';

  constructor(
    private readonly sources: SourceRepository,
    private readonly kind: WooCommerceKind,
    private readonly client: WooCommerceClient,
  ) {}

  async readiness(connectionId: string, action: StatusAction, body: unknown): Promise<string | null> {
    const source = await this.sources.find(connectionId);
    if (!source || source.status !== 'active') return `the WooCommerce store of this order is ${source?.status ?? 'gone'}: add it again first`;
    if (action === 'fulfillment' && (body as FulfillmentBody).lines) return 'WooCommerce completes whole orders only: leave out lines (a partial shipment needs a shipment plugin in the store)';
    if (action === 'cancel' && !(body as CancelBody).restock) return "WooCommerce returns a cancelled order's items to its stock itself: restock: false cannot be honoured for a WooCommerce order";
    return null;
  }

  permanent(error: unknown): string | null {
    return error instanceof WooRequestError && error.status !== 429 && error.status < 500 ? error.message : null;
  }

  async attempt(request: StoredRequest, order: TargetOrder): Promise<AttemptResult> {
    const source = await this.sources.find(request.connectionId);
    if (!source || source.status !== 'active') return { kind: 'refused', reason: 'the WooCommerce store is not connected any more', answer: {} };
    const store = this.kind.store(source);
    const id = order.externalOrderId;
    const notes: unknown[] = [];
    let change: { status?: string; set_paid?: boolean };
    switch (request.action) {
      case 'fulfillment': {
        const body = request.body as FulfillmentBody;
        if (body.trackingNumber && !request.progress.uncertain) {
          const note = `Shipped${body.trackingCompany ? ` with ${body.trackingCompany}` : ''}, tracking number ${body.trackingNumber}${body.trackingUrl ? `: ${body.trackingUrl}` : ''}`;
          notes.push(await this.client.addNote(store, id, note, body.notifyCustomer ?? false));
        }
        change = { status: 'completed' };
        break;
      }
      case 'mark_paid':
        change = { set_paid: true };
        break;
      case 'cancel': {
        const body = request.body as CancelBody;
        if (!request.progress.uncertain) notes.push(await this.client.addNote(store, id, `Cancelled (${body.reason})${body.staffNote ? `: ${body.staffNote}` : ''}`, body.notifyCustomer ?? false));
        change = { status: 'cancelled' };
        break;
      }
    }
    const answer = await this.client.updateOrder(store, id, change);
    const result = { status: answer.status, datePaid: answer.date_paid_gmt ?? null, notes: notes.length };
    return { kind: 'done', result, answer: { change, order: { status: answer.status, date_modified_gmt: answer.date_modified_gmt }, notes }, readback: await this.kind.orderNow(source, id) };
  }
}
