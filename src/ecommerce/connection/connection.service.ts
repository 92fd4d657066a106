import { DomainError } from '../../common/errors/domain-error.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import { isUniqueViolation } from '../../common/errors/pg-errors.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { BusinessesService } from '../../pos/businesses/businesses.service.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { isShopDomain } from '../shopify/shop-domain.js';
import { ShopifyCatalogClient } from '../shopify/shopify-catalog.client.js';
import { ShopifyOAuthClient, type AccessGrant } from '../shopify/shopify-oauth.client.js';
import { verifyOAuthQuery } from '../shopify/shopify-signatures.js';
import { ShopifyWebhookRegistrar } from '../shopify/shopify-webhook-registrar.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { AccessTokenService } from './access-token.service.js';
import { storePrimaryLocation } from './primary-location.js';
import { EcommerceConnection } from './ecommerce-connection.entity.js';
import { Business } from '../../pos/businesses/business.entity.js';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { OAuthState } from './oauth-state.entity.js';

const STATE_TTL_MS = 10 * 60_000;
/** When REGISTERED_TOPICS last grew: connections registered before it subscribe to the new topics. */
const TOPICS_CHANGED_AT = new Date('2026-11-29T00:00:00Z');
const MAX_CLOCK_SKEW_S = 5 * 60;
const CALLBACK_PARAMS = ['code', 'hmac', 'shop', 'state', 'timestamp'] as const;

export interface ConnectionView {
  businessId: string;
  provider: 'shopify';
  shop: string;
  status: EcommerceConnection['status'];
  scopes: string[];
  lastSyncedAt: Date | null;
  connectedAt: Date | null;
  webhooksRegistered: boolean;
  locationId: string | null;
  lastError: string | null;
}

/** What the API shows of a connection: never its tokens. */
export function connectionView(connection: EcommerceConnection): ConnectionView {
  return {
    businessId: connection.businessId,
    provider: 'shopify',
    shop: connection.shopDomain,
    status: connection.status,
    scopes: connection.scopes ? connection.scopes.split(',') : [],
    lastSyncedAt: connection.lastSyncedAt,
    connectedAt: connection.connectedAt,
    webhooksRegistered: connection.webhooksRegisteredAt !== null,
    locationId: connection.locationId,
    lastError: connection.lastError,
  };
}

@Injectable()
export class ConnectionService {
  private readonly logger = new Logger('Connection');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly businesses: BusinessesService,
    private readonly oauth: ShopifyOAuthClient,
    private readonly registrar: ShopifyWebhookRegistrar,
    private readonly catalog: ShopifyCatalogClient,
    private readonly polling: PollingScheduler,
    private readonly cipher: TokenCipher,
    private readonly tokens: AccessTokenService,
    private readonly syncLog: SyncLogService,
  ) {}

  private get connections() {
    return this.dataSource.getRepository(EcommerceConnection);
  }

  async startConnect(businessId: string, shop: string): Promise<{ authorizeUrl: string }> {
    this.requireCredentials();
    await this.businesses.get(businessId);
    await this.assertShopFree(businessId, shop);
    const state = randomBytes(24).toString('base64url');
    await this.dataSource.getRepository(OAuthState).insert({ state, businessId, shopDomain: shop, expiresAt: new Date(Date.now() + STATE_TTL_MS) });
    return { authorizeUrl: this.oauth.authorizeUrl(shop, state) };
  }

  /**
   * Every check runs before anything is written, and the hmac is checked before the state is touched so that
   * a forged callback cannot burn a merchant's state.
   */
  async completeCallback(query: Record<string, unknown>): Promise<{ businessId: string; shop: string; status: 'active' }> {
    const { apiSecret } = this.requireCredentials();
    const params = this.readCallbackParams(query);
    if (!verifyOAuthQuery(params, apiSecret)) throw new DomainError('unauthenticated', 'hmac is invalid: this callback was not signed by Shopify');
    const timestamp = Number(params.timestamp);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_CLOCK_SKEW_S) {
      throw new DomainError('unauthenticated', 'timestamp is more than 5 minutes away from now: the callback is stale');
    }
    const state = await this.consumeState(params.state, params.shop);
    await this.assertShopFree(state.businessId, params.shop);

    let grant: AccessGrant;
    try {
      grant = await this.oauth.exchangeCode(params.shop, params.code);
    } catch (error) {
      const message = `Exchanging the authorization code with ${params.shop} failed: ${(error as Error).message}`;
      await this.syncLog.record({ businessId: state.businessId, type: 'connection', direction: 'outbound', status: 'failed', message: `${message}. Nothing was stored; start the connect flow again.` });
      throw new DomainError('upstream_failed', message);
    }

    const before = await this.connections.findOneBy({ businessId: state.businessId });
    const connection = await this.storeConnection(state.businessId, params.shop, grant);
    await this.finishSetup(connection);
    // A repaired or renewed connection polls at once, so that what the gap missed arrives and stale flags clear;
    // a new one needs no extra poll, its schedule's first run is immediate.
    if (before) await this.polling.pollNow(connection.id).catch((error: unknown) => this.logger.warn({ err: error }, 'Could not start the poll after reconnecting'));
    return { businessId: connection.businessId, shop: connection.shopDomain, status: 'active' };
  }

  async view(businessId: string): Promise<ConnectionView> {
    const connection = await this.connections.findOneBy({ businessId });
    if (!connection) throw new DomainError('not_found', `Business ${businessId} has no ecommerce connection`);
    return connectionView(connection);
  }

  /** The business's connection in any state, or null; for views that report on it. */
  findById(id: string): Promise<EcommerceConnection | null> {
    return this.connections.findOneBy({ id });
  }

  async findForBusiness(businessId: string): Promise<EcommerceConnection | null> {
    return this.connections.findOneBy({ businessId });
  }

  /** Stops polling, asks Shopify to stop sending webhooks (best effort), and forgets the token. */
  async disconnect(businessId: string): Promise<void> {
    const connection = await this.connections.findOneBy({ businessId });
    if (!connection) throw new DomainError('not_found', `Business ${businessId} has no ecommerce connection`);
    if (connection.status !== 'active') return;
    let webhookNote: string;
    try {
      const removed = await this.registrar.unregister(await this.tokens.session(connection.id));
      webhookNote = `; removed ${removed} webhook subscriptions`;
    } catch (error) {
      webhookNote = `; could not remove the webhook subscriptions (${(error as Error).message}), deliveries for this shop will be refused as unknown`;
    }
    await this.polling.unschedule(connection.id);
    await this.connections.update(connection.id, {
      status: 'disconnected',
      accessTokenSealed: null,
      refreshTokenSealed: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      disconnectedAt: new Date(),
    });
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'connection',
      direction: 'outbound',
      status: 'success',
      message: `Disconnected ${connection.shopDomain}: polling stopped, token deleted${webhookNote}`,
    });
  }

  /** app/uninstalled: the token is already revoked by Shopify, so nothing here calls Shopify. */
  async markUninstalled(shop: string): Promise<EcommerceConnection | null> {
    const connection = await this.connections.findOneBy({ shopDomain: shop, status: 'active' });
    if (!connection) return null;
    await this.polling.unschedule(connection.id);
    await this.connections.update(connection.id, {
      status: 'uninstalled',
      accessTokenSealed: null,
      refreshTokenSealed: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      webhooksRegisteredAt: null,
      disconnectedAt: new Date(),
    });
    return connection;
  }

  /** The business's connection, which must be active for the caller's purpose (404 or 409 otherwise). */
  async requireActive(businessId: string): Promise<EcommerceConnection> {
    const connection = await this.connections.findOneBy({ businessId });
    if (!connection) throw new DomainError('not_found', `Business ${businessId} has no ecommerce connection`);
    if (connection.status !== 'active') throw new DomainError('conflict', `The connection to ${connection.shopDomain} is ${connection.status}; connect the shop first`);
    return connection;
  }

  /** Every connection (any status), newest first, with its business's name; `shop` narrows to one shop domain. */
  async page(limit: number, cursor?: string, shop?: string): Promise<Page<EcommerceConnection & { businessName: string }>> {
    const query = this.connections.createQueryBuilder('c').innerJoinAndMapOne('c.business', Business, 'b', 'b.id = c.businessId');
    if (shop) query.where('c.shopDomain = :shop', { shop: shop.trim().toLowerCase() });
    newestFirst(query, 'c', 'created_at', limit, cursor);
    return toPage(
      await query.getMany(),
      limit,
      (c) => ({ at: c.createdAt.toISOString(), id: c.id }),
      (c) => Object.assign(c, { businessName: (c.business as Business).name }),
    );
  }

  findActiveByShop(shop: string): Promise<EcommerceConnection | null> {
    return this.connections.findOneBy({ shopDomain: shop, status: 'active' });
  }

  findByShop(shop: string): Promise<EcommerceConnection[]> {
    return this.connections.findBy({ shopDomain: shop });
  }

  activeConnections(): Promise<EcommerceConnection[]> {
    return this.connections.findBy({ status: 'active' });
  }

  /**
   * Connections registered before the topic list last grew (orders/edited and refunds/create came with the order
   * lifecycle) subscribe to the new topics once; a failure is logged and tried again at the next reassertion.
   */
  async subscribeNewTopics(active: EcommerceConnection[]): Promise<void> {
    for (const connection of active) {
      if (connection.webhooksRegisteredAt && connection.webhooksRegisteredAt >= TOPICS_CHANGED_AT) continue;
      try {
        const registered = await this.registrar.register(await this.tokens.session(connection.id));
        await this.connections.update(connection.id, { webhooksRegisteredAt: new Date() });
        if (registered.created.length > 0) {
          await this.syncLog.record({
            businessId: connection.businessId,
            connectionId: connection.id,
            type: 'connection',
            direction: 'outbound',
            status: 'success',
            message: `Subscribed ${connection.shopDomain} to ${registered.created.join(', ')}`,
          });
        }
      } catch (error) {
        this.logger.warn({ connectionId: connection.id, err: error }, `Could not subscribe ${connection.shopDomain} to the new webhook topics; trying again later`);
      }
    }
  }

  private requireCredentials(): { apiKey: string; apiSecret: string } {
    try {
      return this.oauth.credentials();
    } catch (error) {
      throw new DomainError('unavailable', (error as Error).message);
    }
  }

  private readCallbackParams(query: Record<string, unknown>): Record<string, string> {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (typeof value !== 'string') throw new DomainError('invalid', `${key} must appear once in the callback query`);
      params[key] = value;
    }
    const missing = CALLBACK_PARAMS.filter((name) => !params[name]);
    if (missing.includes('hmac')) throw new DomainError('unauthenticated', 'hmac is missing: this callback was not signed by Shopify');
    if (missing.length > 0) throw new DomainError('invalid', `The callback is missing ${missing.join(', ')}`);
    if (!isShopDomain(params.shop)) throw new DomainError('invalid', 'shop must be a *.myshopify.com domain');
    return params;
  }

  /** Marks the state used in the same statement that checks it, so two racing callbacks cannot both pass. */
  private async consumeState(state: string, shop: string): Promise<OAuthState> {
    const repository = this.dataSource.getRepository(OAuthState);
    const found = await repository.findOneBy({ state });
    if (!found) throw new DomainError('invalid', 'state is unknown: start the connect flow again');
    if (found.usedAt) throw new DomainError('invalid', 'state was already used: start the connect flow again');
    if (found.expiresAt.getTime() < Date.now()) throw new DomainError('invalid', 'state has expired: start the connect flow again');
    if (found.shopDomain !== shop) throw new DomainError('invalid', 'state was issued for another shop');
    const result = await repository.update({ state, usedAt: IsNull() }, { usedAt: new Date() });
    if (!result.affected) throw new DomainError('invalid', 'state was already used: start the connect flow again');
    return found;
  }

  private async assertShopFree(businessId: string, shop: string): Promise<void> {
    const active = await this.connections.findOneBy({ shopDomain: shop, status: 'active' });
    if (active && active.businessId !== businessId) {
      throw new DomainError('conflict', `${shop} is already connected to another business; disconnect it there first`);
    }
    const own = await this.connections.findOneBy({ businessId });
    if (own && own.status === 'active' && own.shopDomain !== shop) {
      throw new DomainError('conflict', `This business is connected to ${own.shopDomain}; disconnect it before connecting ${shop}`);
    }
  }

  private async storeConnection(businessId: string, shop: string, grant: AccessGrant): Promise<EcommerceConnection> {
    const values = {
      provider: 'shopify',
      shopDomain: shop,
      status: 'active' as const,
      accessTokenSealed: this.cipher.encrypt(grant.accessToken),
      accessTokenExpiresAt: grant.expiresAt,
      refreshTokenSealed: grant.refreshToken ? this.cipher.encrypt(grant.refreshToken) : null,
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
      scopes: grant.scopes.join(','),
      connectedAt: new Date(),
      disconnectedAt: null,
      lastError: null,
    };
    try {
      // Reconnecting (same shop, a new token, or after an uninstall) updates the business's one row in place.
      await this.connections.upsert({ businessId, ...values }, { conflictPaths: ['businessId'] });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_connection_active_shop')) {
        throw new DomainError('conflict', `${shop} is already connected to another business; disconnect it there first`);
      }
      throw error;
    }
    return this.connections.findOneByOrFail({ businessId });
  }

  /** Webhooks and polling. A failure here leaves an active connection that the next connect flow repairs. */
  private async finishSetup(connection: EcommerceConnection): Promise<void> {
    const steps: string[] = [];
    try {
      // Polling first: it is the safety net that still finds orders if the webhooks cannot be registered.
      await this.polling.schedule(connection.id);
      steps.push(`polling every ${this.config.pollIntervalMinutes} min`);
      const session = await this.tokens.session(connection.id);
      const registered = await this.registrar.register(session);
      steps.push(`webhooks registered (${registered.created.length} created, ${registered.alreadyPresent.length} already present)`);
      await this.connections.update(connection.id, { webhooksRegisteredAt: new Date() });
      // A reconnect keeps the location an admin chose; a new connection pushes stock to the shop's primary location.
      if (!connection.locationId) {
        const primary = await storePrimaryLocation(this.dataSource, this.catalog, connection, session);
        steps.push(`stock pushed to ${primary.name}`);
      }
    } catch (error) {
      const done = steps.length ? ` (done so far: ${steps.join(', ')})` : '';
      const message = `Connected ${connection.shopDomain}, but finishing the setup failed: ${(error as Error).message}${done}. Run the connect flow again to repair it.`;
      await this.connections.update(connection.id, { lastError: message });
      await this.syncLog.record({ businessId: connection.businessId, connectionId: connection.id, type: 'connection', direction: 'outbound', status: 'failed', message });
      throw new DomainError('upstream_failed', message);
    }
    this.logger.log({ businessId: connection.businessId, connectionId: connection.id }, `Connected ${connection.shopDomain}`);
    await this.syncLog.record({
      businessId: connection.businessId,
      connectionId: connection.id,
      type: 'connection',
      direction: 'outbound',
      status: 'success',
      message: `Connected ${connection.shopDomain}: ${steps.join(', ')}`,
      details: { scopes: connection.scopes.split(','), expiringToken: connection.accessTokenExpiresAt !== null },
    });
  }
}
