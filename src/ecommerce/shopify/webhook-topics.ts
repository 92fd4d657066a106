/** Topics the webhook endpoint handles, as Shopify names them in X-Shopify-Topic. */
export const ORDER_TOPICS = ['orders/create', 'orders/updated', 'orders/edited', 'orders/paid', 'orders/cancelled', 'refunds/create'] as const;
export const COMPLIANCE_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
export const HANDLED_TOPICS = [...ORDER_TOPICS, 'app/uninstalled', ...COMPLIANCE_TOPICS] as const;
export type HandledTopic = (typeof HANDLED_TOPICS)[number];

export function isHandledTopic(topic: string): topic is HandledTopic {
  return (HANDLED_TOPICS as readonly string[]).includes(topic);
}

/**
 * Topics registered through the API. The compliance topics cannot be: Shopify takes them from the app's
 * configuration (shopify.app.toml), pointed at the same address.
 */
export const REGISTERED_TOPICS: Record<string, string> = {
  'orders/create': 'ORDERS_CREATE',
  'orders/updated': 'ORDERS_UPDATED',
  'orders/edited': 'ORDERS_EDITED',
  'orders/paid': 'ORDERS_PAID',
  'orders/cancelled': 'ORDERS_CANCELLED',
  'refunds/create': 'REFUNDS_CREATE',
  'app/uninstalled': 'APP_UNINSTALLED',
};
