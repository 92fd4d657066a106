import { IsNull, type DataSource } from 'typeorm';
import type { ShopifyCatalogClient, ShopLocation } from '../shopify/shopify-catalog.client.js';
import type { ShopSession } from '../shopify/shopify-graphql.client.js';
import { EcommerceConnection } from './ecommerce-connection.entity.js';

/**
 * Looks up the shop's primary location and stores it on a connection that has none yet (a location an admin
 * chose is never overwritten). Connect and first use both come here.
 */
export async function storePrimaryLocation(dataSource: DataSource, catalog: ShopifyCatalogClient, connection: EcommerceConnection, session: ShopSession): Promise<ShopLocation> {
  const primary = await catalog.location(session);
  if (!primary) throw new Error(`${connection.shopDomain} has no primary location to hold inventory`);
  await dataSource.getRepository(EcommerceConnection).update({ id: connection.id, locationId: IsNull() }, { locationId: primary.id });
  connection.locationId = primary.id;
  return primary;
}
