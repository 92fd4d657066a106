import { Injectable } from '@nestjs/common';
import type { Order, Refund } from '../orders/order.js';
import { orderFromGraphql, refundFromGraphql, type GraphqlLineNode, type GraphqlOrderNode, type GraphqlRefundLineNode } from './order-mapper.js';
import { ShopifyRequestError } from './shopify-errors.js';
import { ShopifyGraphqlClient, type ShopSession } from './shopify-graphql.client.js';

const LINES_PER_ORDER = 10;
const REFUNDS_PER_ORDER = 5;
const LINES_PER_REFUND = 10;
/**
 * Requested cost of one order node below: the order, its current total (the money bag and its shop money), its
 * line-item connection (each line and its variant, pageInfo), and its refunds (a list, costed once) with their
 * refund-line connection (each line and its line item).
 */
const ORDER_NODE_COST = 1 + 2 + (2 + LINES_PER_ORDER * 2 + 1) + (1 + 2 + LINES_PER_REFUND * 2 + 1);
/** The orders connection itself and its pageInfo. */
const PAGE_OVERHEAD = 3;
const MAX_PAGE = 250;

/** An order as the poll reads it: everything the holding rules and the status actions need. */
const ORDER_FIELDS = /* GraphQL */ `
  fragment OrderAsPolled on Order {
    id
    name
    updatedAt
    cancelledAt
    email
    displayFinancialStatus
    displayFulfillmentStatus
    currentTotalPriceSet { shopMoney { amount currencyCode } }
    lineItems(first: ${LINES_PER_ORDER}) {
      nodes { id sku quantity currentQuantity unfulfilledQuantity variant { id } }
      pageInfo { hasNextPage endCursor }
    }
    refunds(first: ${REFUNDS_PER_ORDER}) {
      id
      refundLineItems(first: ${LINES_PER_REFUND}) {
        nodes { lineItem { id } quantity restockType }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const ORDERS = /* GraphQL */ `
  query PollOrders($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
      nodes { ...OrderAsPolled }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${ORDER_FIELDS}
`;

const ONE_ORDER = /* GraphQL */ `
  query OrderNow($id: ID!) {
    order(id: $id) { ...OrderAsPolled }
  }
  ${ORDER_FIELDS}
`;

const MORE_LINES = /* GraphQL */ `
  query OrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 50, after: $after) {
        nodes { id sku quantity currentQuantity unfulfilledQuantity variant { id } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** Every refund of an order, for the rare order with more refunds (or refund lines) than one page shows. */
const ALL_REFUNDS = /* GraphQL */ `
  query OrderRefunds($id: ID!) {
    order(id: $id) {
      refunds(first: 250) { id }
    }
  }
`;

const REFUND_LINES = /* GraphQL */ `
  query RefundLines($id: ID!, $after: String) {
    refund(id: $id) {
      refundLineItems(first: 50, after: $after) {
        nodes { lineItem { id } quantity restockType }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

interface OrdersAnswer {
  orders: { nodes: GraphqlOrderNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export interface OrdersPage {
  orders: Order[];
  nextCursor: string | null;
}

/**
 * Pages the orders updated since a time. The page size follows the shop's maximum query cost: Shopify prices a
 * query by what it could return (first x line items), so on a standard plan a page holds about 40 orders.
 */
@Injectable()
export class ShopifyOrdersClient {
  constructor(private readonly graphql: ShopifyGraphqlClient) {}

  pageSize(maximumAvailable = 1000): number {
    return Math.max(1, Math.min(MAX_PAGE, Math.floor((maximumAvailable - PAGE_OVERHEAD) / ORDER_NODE_COST)));
  }

  async page(session: ShopSession, updatedSince: Date, after: string | null): Promise<OrdersPage> {
    const first = this.pageSize(this.graphql.maximumAvailable(session.shop) ?? undefined);
    let answer: OrdersAnswer;
    try {
      answer = await this.fetchPage(session, updatedSince, after, first);
    } catch (error) {
      // The first call to a shop learns its maximum cost the hard way; the answer carried it, so ask again.
      const known = this.graphql.maximumAvailable(session.shop);
      if (!isMaxCostExceeded(error) || known === null || this.pageSize(known) >= first) throw error;
      answer = await this.fetchPage(session, updatedSince, after, this.pageSize(known));
    }
    const orders: Order[] = [];
    for (const node of answer.orders.nodes) orders.push(await this.complete(session, node));
    return { orders, nextCursor: answer.orders.pageInfo.hasNextPage ? answer.orders.pageInfo.endCursor : null };
  }

  /** One order as the shop has it now (null when the shop no longer has it): what a status action reads back. */
  async order(session: ShopSession, externalId: string): Promise<Order | null> {
    const answer = await this.graphql.request<{ order: GraphqlOrderNode | null }>(session, ONE_ORDER, { id: `gid://shopify/Order/${externalId}` }, { expectedCost: ORDER_NODE_COST + 1 });
    return answer.order ? this.complete(session, answer.order) : null;
  }

  /** An order node with the lines and refund lines its page left out. */
  private async complete(session: ShopSession, node: GraphqlOrderNode): Promise<Order> {
    const lines = [...node.lineItems.nodes];
    let cursor = node.lineItems.pageInfo.hasNextPage ? node.lineItems.pageInfo.endCursor : null;
    while (cursor) {
      const more = await this.graphql.request<{ order: { lineItems: { nodes: GraphqlLineNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null }>(
        session,
        MORE_LINES,
        { id: node.id, after: cursor },
      );
      if (!more.order) break;
      lines.push(...more.order.lineItems.nodes);
      cursor = more.order.lineItems.pageInfo.hasNextPage ? more.order.lineItems.pageInfo.endCursor : null;
    }
    return orderFromGraphql(node, lines, await this.refunds(session, node));
  }

  /** The order's refunds with all their lines: what the page carried, and the rest fetched when it was cut short. */
  private async refunds(session: ShopSession, node: GraphqlOrderNode): Promise<Refund[]> {
    let refunds = node.refunds.map((r) => ({ id: r.id, lines: r.refundLineItems }));
    if (refunds.length >= REFUNDS_PER_ORDER) {
      const all = await this.graphql.request<{ order: { refunds: Array<{ id: string }> } | null }>(session, ALL_REFUNDS, { id: node.id });
      const known = new Map(refunds.map((r) => [r.id, r]));
      refunds = (all.order?.refunds ?? []).map((r) => known.get(r.id) ?? { id: r.id, lines: { nodes: [], pageInfo: { hasNextPage: true, endCursor: null } } });
    }
    const result: Refund[] = [];
    for (const refund of refunds) {
      const lines: GraphqlRefundLineNode[] = [...refund.lines.nodes];
      let page = refund.lines.pageInfo;
      while (page.hasNextPage) {
        const more = await this.graphql.request<{ refund: { refundLineItems: { nodes: GraphqlRefundLineNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null }>(
          session,
          REFUND_LINES,
          { id: refund.id, after: page.endCursor },
        );
        if (!more.refund) break;
        lines.push(...more.refund.refundLineItems.nodes);
        page = more.refund.refundLineItems.pageInfo;
      }
      result.push(refundFromGraphql(refund.id, lines));
    }
    return result;
  }

  private fetchPage(session: ShopSession, updatedSince: Date, after: string | null, first: number) {
    return this.graphql.request<OrdersAnswer>(
      session,
      ORDERS,
      { first, after, query: `updated_at:>='${updatedSince.toISOString()}'` },
      { expectedCost: PAGE_OVERHEAD + first * ORDER_NODE_COST },
    );
  }
}

function isMaxCostExceeded(error: unknown): boolean {
  if (!(error instanceof ShopifyRequestError) || !Array.isArray(error.details)) return false;
  return (error.details as Array<{ extensions?: { code?: string } }>).some((e) => e.extensions?.code === 'MAX_COST_EXCEEDED');
}
