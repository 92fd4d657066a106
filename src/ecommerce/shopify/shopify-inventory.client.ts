import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ShopifyRequestError } from './shopify-errors.js';
import { ShopifyGraphqlClient, type ShopSession } from './shopify-graphql.client.js';

export const MAX_QUANTITIES_PER_CALL = 250;

const SET_QUANTITIES = /* GraphQL */ `
  mutation SetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { reason }
      userErrors { field message code }
    }
  }
`;

const LEVELS = /* GraphQL */ `
  query Levels($query: String!, $first: Int!, $locationId: ID!) {
    inventoryItems(first: $first, query: $query) {
      nodes { id inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } } }
    }
  }
`;

export interface QuantityToSet {
  inventoryItemId: string;
  quantity: number;
}

/** Absolute available quantities at one location, in batches of at most 250; read back for reconciliation. */
@Injectable()
export class ShopifyInventoryClient {
  constructor(private readonly graphql: ShopifyGraphqlClient) {}

  /**
   * `changeFromQuantity: null` says "set it to this, whatever it is now": the POS is the truth. The idempotency key
   * is new for every push and reused only by the client's retries of this very request: Shopify answers a repeated
   * key with the earlier result and applies nothing, so a key derived from the content would silently skip a level
   * that comes back (50, 49, 50).
   */
  async setAvailable(session: ShopSession, locationId: string, quantities: QuantityToSet[], referenceDocumentUri: string): Promise<void> {
    if (quantities.length === 0) return;
    if (quantities.length > MAX_QUANTITIES_PER_CALL) throw new Error(`At most ${MAX_QUANTITIES_PER_CALL} quantities per call`);
    const input = {
      name: 'available',
      reason: 'correction',
      referenceDocumentUri,
      quantities: quantities.map((q) => ({ inventoryItemId: `gid://shopify/InventoryItem/${q.inventoryItemId}`, locationId, quantity: q.quantity, changeFromQuantity: null })),
    };
    const key = randomUUID();
    const answer = await this.graphql.request<{ inventorySetQuantities: { userErrors: Array<{ message: string; code: string | null }> } }>(session, SET_QUANTITIES, { input, key });
    const errors = answer.inventorySetQuantities.userErrors;
    if (errors.length > 0) throw new ShopifyRequestError(`Shopify refused the quantities: ${errors.map((e) => e.message).join('; ')}`, errors);
  }

  async available(session: ShopSession, locationId: string, inventoryItemIds: string[]): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    if (inventoryItemIds.length === 0) return levels;
    const query = inventoryItemIds.map((id) => `id:${id}`).join(' OR ');
    const answer = await this.graphql.request<{ inventoryItems: { nodes: Array<{ id: string; inventoryLevel: { quantities: Array<{ quantity: number }> } | null }> } }>(
      session,
      LEVELS,
      { query, first: inventoryItemIds.length, locationId },
    );
    for (const node of answer.inventoryItems.nodes) {
      levels.set(node.id.split('/').pop()!, node.inventoryLevel?.quantities[0]?.quantity ?? 0);
    }
    return levels;
  }
}
