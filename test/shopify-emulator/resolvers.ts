import { GraphQLError } from 'graphql';
import { toConnection, type ConnectionArgs } from './connection.js';
import { collectionRoot } from './collection-resolvers.js';
import { inventoryRoot } from './inventory-resolvers.js';
import { productRoot } from './product-resolvers.js';
import { filterOrders, sortOrders } from './order-search.js';
import { remainingQuantity } from './order-lifecycle.js';
import { orderFulfillmentFields, orderStatusRoot, type StatusContext } from './order-status-resolvers.js';
import { gid, legacyBigId, legacyId, nextId, type LineItem, type Location, type Order, type Refund, type ShopState, type WebhookSubscription } from './state.js';

export const TOPIC_TO_REST: Record<string, string> = {
  ORDERS_CREATE: 'orders/create',
  ORDERS_UPDATED: 'orders/updated',
  ORDERS_EDITED: 'orders/edited',
  REFUNDS_CREATE: 'refunds/create',
  ORDERS_PAID: 'orders/paid',
  ORDERS_CANCELLED: 'orders/cancelled',
  APP_UNINSTALLED: 'app/uninstalled',
  PRODUCTS_UPDATE: 'products/update',
  INVENTORY_LEVELS_UPDATE: 'inventory_levels/update',
};
const REST_TO_TOPIC = Object.fromEntries(Object.entries(TOPIC_TO_REST).map(([k, v]) => [v, k]));

const subscriptionView = (s: WebhookSubscription) => ({
  id: gid('WebhookSubscription', s.id),
  topic: REST_TO_TOPIC[s.topic],
  uri: s.uri,
  format: s.format,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

const lineItemView = (item: LineItem) => ({
  id: gid('LineItem', item.id),
  sku: item.sku,
  name: item.title,
  title: item.title,
  quantity: item.quantity,
  currentQuantity: item.currentQuantity,
  unfulfilledQuantity: remainingQuantity(item),
  variant: item.variantId === null ? null : { id: gid('ProductVariant', item.variantId), sku: item.sku },
});

const refundView = (refund: Refund) => ({
  id: gid('Refund', refund.id),
  createdAt: refund.createdAt,
  refundLineItems: (args: ConnectionArgs) =>
    toConnection(
      refund.lines.map((line) => ({ id: gid('RefundLineItem', line.id), lineItem: { id: gid('LineItem', line.lineItemId) }, quantity: line.quantity, restockType: line.restockType.toUpperCase() })),
      args,
    ),
});

export const orderView = (order: Order, scopes: string[]) => ({
  id: gid('Order', order.id),
  legacyResourceId: String(order.id),
  name: order.name,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
  cancelledAt: order.cancelledAt,
  email: order.email,
  currentTotalPriceSet: {
    shopMoney: { amount: order.lineItems.reduce((sum, l) => sum + Number(l.price) * l.currentQuantity, 0).toFixed(2), currencyCode: 'USD' },
  },
  displayFinancialStatus: order.financialStatus.toUpperCase(),
  ...orderFulfillmentFields(order, scopes),
  lineItems: (args: ConnectionArgs) => toConnection(order.lineItems.map(lineItemView), args),
  refunds: ({ first }: { first?: number | null }) => order.refunds.slice(0, first ?? undefined).map(refundView),
});

const locationView = (l: Location) => ({ id: gid('Location', l.id), name: l.name, isActive: l.isActive });

function isValidWebhookUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The GraphQL root for one shop: each field reads or changes that shop's state. */
export function createRoot(shop: ShopState, idempotency: Map<string, unknown>, status: StatusContext) {
  const view = (order: Order) => orderView(order, status.scopes);
  return {
    ...orderStatusRoot(shop, status),
    ...productRoot(shop),
    ...collectionRoot(shop),
    ...inventoryRoot(shop, idempotency),
    shop: () => ({ id: gid('Shop', 1), name: shop.name, myshopifyDomain: shop.domain, currencyCode: 'USD' }),

    // Shopify sorts locations by name unless told otherwise, so the first one is not necessarily the primary.
    locations: (args: ConnectionArgs) => toConnection([...shop.locations].sort((a, b) => a.name.localeCompare(b.name)).map(locationView), args),

    location: ({ id }: { id?: string | null }) => {
      const wanted = id ? legacyId(id) : shop.primaryLocationId;
      const found = shop.locations.find((l) => l.id === wanted);
      return found ? locationView(found) : null;
    },

    webhookSubscriptions: (args: ConnectionArgs & { topics?: string[] | null; uri?: string | null }) => {
      const all = [...shop.webhookSubscriptions.values()]
        .filter((s) => !args.topics || args.topics.includes(REST_TO_TOPIC[s.topic] ?? ''))
        .filter((s) => !args.uri || s.uri === args.uri)
        .sort((a, b) => a.id - b.id);
      return toConnection(all.map(subscriptionView), args);
    },

    orders: (args: ConnectionArgs & { query?: string | null; sortKey?: string | null; reverse?: boolean | null }) => {
      const matching = sortOrders(filterOrders([...shop.orders.values()], args.query), args.sortKey, args.reverse);
      return toConnection(matching.map(view), args);
    },

    order: ({ id }: { id: string }) => {
      const key = legacyBigId(id);
      const order = key === null ? undefined : shop.orders.get(key);
      return order ? view(order) : null;
    },

    refund: ({ id }: { id: string }) => {
      const wanted = legacyBigId(id);
      for (const order of shop.orders.values()) {
        const found = order.refunds.find((r) => r.id === wanted);
        if (found) return refundView(found);
      }
      return null;
    },

    webhookSubscriptionCreate: ({ topic, webhookSubscription }: { topic: string; webhookSubscription: { uri?: string | null } }) => {
      const uri = webhookSubscription.uri ?? '';
      if (!isValidWebhookUri(uri)) {
        return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address is invalid' }] };
      }
      const rest = TOPIC_TO_REST[topic];
      if (!rest) throw new GraphQLError(`Unknown topic ${topic}`);
      const taken = [...shop.webhookSubscriptions.values()].some((s) => s.topic === rest && s.uri === uri);
      if (taken) {
        return {
          webhookSubscription: null,
          userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }],
        };
      }
      const now = new Date().toISOString();
      const created: WebhookSubscription = { id: nextId(), topic: rest, uri, format: 'JSON', createdAt: now, updatedAt: now };
      shop.webhookSubscriptions.set(created.id, created);
      return { webhookSubscription: subscriptionView(created), userErrors: [] };
    },

    webhookSubscriptionDelete: ({ id }: { id: string }) => {
      const key = legacyId(id);
      if (!shop.webhookSubscriptions.delete(key)) {
        return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
      }
      return { deletedWebhookSubscriptionId: id, userErrors: [] };
    },
  };
}
