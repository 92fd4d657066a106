import { Injectable } from '@nestjs/common';
import { ShopifyGraphqlClient, type RequestOptions, type ShopSession } from './shopify-graphql.client.js';

const FO_PAGE = 10;
const FO_LINES_PAGE = 25;

const FULFILLMENT_STATE = /* GraphQL */ `
  query FulfillmentState($id: ID!) {
    order(id: $id) {
      id
      cancelledAt
      displayFulfillmentStatus
      fulfillments(first: 50) { id createdAt trackingInfo(first: 5) { company number url } }
      fulfillmentOrders(first: ${FO_PAGE}) {
        nodes {
          id
          status
          assignedLocation { location { id } }
          lineItems(first: ${FO_LINES_PAGE}) {
            nodes { id remainingQuantity lineItem { id } }
            pageInfo { hasNextPage endCursor }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const MORE_FO_LINES = /* GraphQL */ `
  query FulfillmentOrderLines($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      lineItems(first: 50, after: $after) {
        nodes { id remainingQuantity lineItem { id } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const FULFIL = /* GraphQL */ `
  mutation Fulfil($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment { id status createdAt trackingInfo(first: 5) { company number url } }
      userErrors { field message }
    }
  }
`;

const MARK_PAID = /* GraphQL */ `
  mutation MarkPaid($input: OrderMarkAsPaidInput!) {
    orderMarkAsPaid(input: $input) {
      order { id displayFinancialStatus }
      userErrors { field message }
    }
  }
`;

const CANCEL = /* GraphQL */ `
  mutation Cancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String, $refundMethod: OrderCancelRefundMethodInput) {
    orderCancel(orderId: $orderId, reason: $reason, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote, refundMethod: $refundMethod) {
      job { id done }
      orderCancelUserErrors { field message code }
    }
  }
`;

const JOB = /* GraphQL */ `
  query CancelJob($id: ID!) {
    job(id: $id) { id done }
  }
`;

const PAYMENT_STATE = /* GraphQL */ `
  query PaymentState($id: ID!) {
    order(id: $id) { id cancelledAt displayFinancialStatus }
  }
`;

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

interface FoNode {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null } | null;
  lineItems: { nodes: Array<{ id: string; remainingQuantity: number; lineItem: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export interface FulfillmentState {
  cancelledAt: string | null;
  displayFulfillmentStatus: string;
  fulfillments: Array<{ id: string; createdAt: string; trackingInfo: TrackingInfo[] }>;
  fulfillmentOrders: Array<{ id: string; status: string; locationId: string | null; lines: Array<{ id: string; lineItemId: string; remainingQuantity: number }> }>;
}

export interface FulfillmentInput {
  lineItemsByFulfillmentOrder: Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems: Array<{ id: string; quantity: number }> }>;
  notifyCustomer: boolean;
  trackingInfo?: { company?: string; number?: string; url?: string };
}

/**
 * A mutation is sent once per call: a 5xx or a dropped connection may come after Shopify applied it, so the caller
 * decides what a retry must check first. THROTTLED answers (nothing applied) are still retried by the client.
 */
const ONCE: RequestOptions = { maxAttempts: 1 };

const orderGid = (externalId: string) => `gid://shopify/Order/${externalId}`;
const digits = (gid: string) => gid.split('/').pop() ?? gid;

/** The order status mutations (fulfillmentCreate, orderMarkAsPaid, orderCancel and its job) and the reads they need. */
@Injectable()
export class ShopifyStatusClient {
  constructor(private readonly graphql: ShopifyGraphqlClient) {}

  /** The order's fulfillment orders with every line's remaining quantity, and its fulfillments; null when the shop has no such order. */
  async fulfillmentState(session: ShopSession, externalOrderId: string): Promise<FulfillmentState | null> {
    const answer = await this.graphql.request<{ order: (Omit<FulfillmentState, 'fulfillmentOrders'> & { fulfillmentOrders: { nodes: FoNode[]; pageInfo: { hasNextPage: boolean } } }) | null }>(
      session,
      FULFILLMENT_STATE,
      { id: orderGid(externalOrderId) },
    );
    const order = answer.order;
    if (!order) return null;
    if (order.fulfillmentOrders.pageInfo.hasNextPage) throw new Error(`the order has more than ${FO_PAGE} fulfillment orders, more than this service fulfils in one request`);
    const fulfillmentOrders: FulfillmentState['fulfillmentOrders'] = [];
    for (const fo of order.fulfillmentOrders.nodes) {
      const lines = [...fo.lineItems.nodes];
      let page = fo.lineItems.pageInfo;
      while (page.hasNextPage) {
        const more = await this.graphql.request<{ fulfillmentOrder: { lineItems: FoNode['lineItems'] } | null }>(session, MORE_FO_LINES, { id: fo.id, after: page.endCursor });
        if (!more.fulfillmentOrder) break;
        lines.push(...more.fulfillmentOrder.lineItems.nodes);
        page = more.fulfillmentOrder.lineItems.pageInfo;
      }
      fulfillmentOrders.push({
        id: fo.id,
        status: fo.status,
        locationId: fo.assignedLocation?.location?.id ?? null,
        lines: lines.map((l) => ({ id: l.id, lineItemId: digits(l.lineItem.id), remainingQuantity: l.remainingQuantity })),
      });
    }
    return { cancelledAt: order.cancelledAt, displayFulfillmentStatus: order.displayFulfillmentStatus, fulfillments: order.fulfillments, fulfillmentOrders };
  }

  async fulfil(session: ShopSession, fulfillment: FulfillmentInput): Promise<{ fulfillment: { id: string; status: string; createdAt: string; trackingInfo: TrackingInfo[] } | null; userErrors: UserError[] }> {
    const answer = await this.graphql.request<{ fulfillmentCreate: { fulfillment: { id: string; status: string; createdAt: string; trackingInfo: TrackingInfo[] } | null; userErrors: UserError[] } }>(session, FULFIL, { fulfillment }, ONCE);
    return answer.fulfillmentCreate;
  }

  async markPaid(session: ShopSession, externalOrderId: string): Promise<{ order: { id: string; displayFinancialStatus: string | null } | null; userErrors: UserError[] }> {
    const answer = await this.graphql.request<{ orderMarkAsPaid: { order: { id: string; displayFinancialStatus: string | null } | null; userErrors: UserError[] } }>(session, MARK_PAID, { input: { id: orderGid(externalOrderId) } }, ONCE);
    return answer.orderMarkAsPaid;
  }

  /** Starts the cancellation; Shopify carries it out in a job (follow it with `job`). Refunds go to the original payment methods. */
  async cancel(session: ShopSession, externalOrderId: string, input: { reason: string; restock: boolean; notifyCustomer: boolean; staffNote?: string }): Promise<{ job: { id: string; done: boolean } | null; orderCancelUserErrors: UserError[] }> {
    const answer = await this.graphql.request<{ orderCancel: { job: { id: string; done: boolean } | null; orderCancelUserErrors: UserError[] } }>(
      session,
      CANCEL,
      {
        orderId: orderGid(externalOrderId),
        reason: input.reason.toUpperCase(),
        restock: input.restock,
        notifyCustomer: input.notifyCustomer,
        staffNote: input.staffNote ?? null,
        refundMethod: { originalPaymentMethodsRefund: true },
      },
      ONCE,
    );
    return answer.orderCancel;
  }

  async job(session: ShopSession, id: string): Promise<{ id: string; done: boolean } | null> {
    return (await this.graphql.request<{ job: { id: string; done: boolean } | null }>(session, JOB, { id })).job;
  }

  async paymentState(session: ShopSession, externalOrderId: string): Promise<{ cancelledAt: string | null; displayFinancialStatus: string | null } | null> {
    return (await this.graphql.request<{ order: { cancelledAt: string | null; displayFinancialStatus: string | null } | null }>(session, PAYMENT_STATE, { id: orderGid(externalOrderId) })).order;
  }
}
