import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import type { ShopSession } from '../shopify/shopify-graphql.client.js';
import { ShopifyOAuthClient } from '../shopify/shopify-oauth.client.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { EcommerceConnection } from './ecommerce-connection.entity.js';

/** Refresh this long before expiry, so a token never lapses in the middle of a poll or a push. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class ConnectionUnusableError extends Error {}

/** Hands out a usable session for a connection, refreshing an expiring offline token first when due. */
@Injectable()
export class AccessTokenService {
  private readonly logger = new Logger('AccessToken');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly oauth: ShopifyOAuthClient,
    private readonly syncLog: SyncLogService,
  ) {}

  async session(connectionId: string): Promise<ShopSession> {
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id: connectionId });
    if (!connection || connection.status !== 'active' || !connection.accessTokenSealed) {
      throw new ConnectionUnusableError(`Connection ${connectionId} is not active (status: ${connection?.status ?? 'missing'})`);
    }
    if (!this.dueForRefresh(connection)) {
      return { shop: connection.shopDomain, accessToken: this.cipher.decrypt(connection.accessTokenSealed) };
    }
    return this.refresh(connectionId);
  }

  private dueForRefresh(connection: EcommerceConnection): boolean {
    return connection.accessTokenExpiresAt !== null && connection.accessTokenExpiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS;
  }

  /**
   * Under a row lock, so that of several workers only the first refreshes (a refresh token works once) and
   * the others read the pair it stored.
   */
  private async refresh(connectionId: string): Promise<ShopSession> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const connection = await manager.getRepository(EcommerceConnection).findOne({ where: { id: connectionId }, lock: { mode: 'pessimistic_write' } });
        if (!connection?.accessTokenSealed) throw new ConnectionUnusableError(`Connection ${connectionId} has no token`);
        if (!this.dueForRefresh(connection)) {
          return { shop: connection.shopDomain, accessToken: this.cipher.decrypt(connection.accessTokenSealed) };
        }
        if (!connection.refreshTokenSealed) throw new ConnectionUnusableError('The access token expired and there is no refresh token; reconnect the shop');
        const grant = await this.oauth.refresh(connection.shopDomain, this.cipher.decrypt(connection.refreshTokenSealed));
        await manager.update(EcommerceConnection, connection.id, {
          accessTokenSealed: this.cipher.encrypt(grant.accessToken),
          accessTokenExpiresAt: grant.expiresAt,
          refreshTokenSealed: grant.refreshToken ? this.cipher.encrypt(grant.refreshToken) : connection.refreshTokenSealed,
          refreshTokenExpiresAt: grant.refreshTokenExpiresAt ?? connection.refreshTokenExpiresAt,
          lastError: null,
        });
        this.logger.log({ connectionId, businessId: connection.businessId }, 'Refreshed the shop access token');
        return { shop: connection.shopDomain, accessToken: grant.accessToken };
      });
    } catch (error) {
      const message = `Refreshing the access token failed: ${(error as Error).message}`;
      const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id: connectionId });
      await this.dataSource.getRepository(EcommerceConnection).update(connectionId, { lastError: message });
      await this.syncLog.record({
        businessId: connection?.businessId,
        connectionId,
        type: 'connection',
        direction: 'outbound',
        status: 'failed',
        message: `${message}. If it keeps failing, reconnect the shop.`,
      });
      throw error;
    }
  }
}
