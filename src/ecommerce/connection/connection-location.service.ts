import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ShopifyCatalogClient } from '../shopify/shopify-catalog.client.js';
import type { ShopSession } from '../shopify/shopify-graphql.client.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { AccessTokenService } from './access-token.service.js';
import { ConnectionService, type ConnectionView } from './connection.service.js';
import { EcommerceConnection } from './ecommerce-connection.entity.js';
import { storePrimaryLocation } from './primary-location.js';

const LOCATION_GID = /^gid:\/\/shopify\/Location\/(\d+)$/;

/** Accepts a location as Shopify's gid or its bare numeric id, and answers the gid. */
export function locationGid(value: string): string | null {
  if (/^\d{1,20}$/.test(value)) return `gid://shopify/Location/${value}`;
  return LOCATION_GID.test(value) ? value : null;
}

/**
 * Where a connection's stock lives in the shop. Multi-location shops list locations by name, so "the first
 * location" is not the primary one: the connection stores the primary location at connect, or the one an admin
 * chose, and connections made before that learn theirs on first use.
 */
@Injectable()
export class ConnectionLocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionService,
    private readonly tokens: AccessTokenService,
    private readonly catalog: ShopifyCatalogClient,
    private readonly syncLog: SyncLogService,
  ) {}

  async locationFor(connection: EcommerceConnection, session: ShopSession): Promise<string> {
    if (connection.locationId) return connection.locationId;
    return (await storePrimaryLocation(this.dataSource, this.catalog, connection, session)).id;
  }

  /** PATCH /ecommerce/connection: a location the shop has, and is active, or 422. */
  async choose(businessId: string, requested: string): Promise<ConnectionView> {
    const connection = await this.connections.requireActive(businessId);
    const id = locationGid(requested);
    if (!id) throw new DomainError('unprocessable', `locationId ${requested} is not a Shopify location id (gid://shopify/Location/<n> or <n>)`);
    const location = await this.catalog.location(await this.tokens.session(connection.id), id);
    if (!location) throw new DomainError('unprocessable', `${connection.shopDomain} has no location ${id}`);
    if (!location.isActive) throw new DomainError('unprocessable', `Location ${location.name} (${id}) of ${connection.shopDomain} is not active`);
    await this.dataSource.getRepository(EcommerceConnection).update(connection.id, { locationId: location.id });
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'connection',
      direction: 'outbound',
      status: 'success',
      message: `Stock of ${connection.shopDomain} is now pushed to location ${location.name} (${location.id})${connection.locationId ? `, was ${connection.locationId}` : ''}; the next reconciliation sets every mapped product there`,
    });
    return this.connections.view(businessId);
  }
}
