import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ShopifyAuthError, ShopifyUnavailableError } from './shopify-errors.js';
import { shopBaseUrl } from './shop-domain.js';

export interface AccessGrant {
  accessToken: string;
  scopes: string[];
  /** Present for expiring offline tokens. */
  expiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
}

interface TokenAnswer {
  access_token?: string;
  scope?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  error?: string;
  error_description?: string;
}

/** OAuth with a shop: the authorize URL, the code exchange and the refresh of expiring offline tokens. */
@Injectable()
export class ShopifyOAuthClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  authorizeUrl(shop: string, state: string): string {
    const url = new URL(`${shopBaseUrl(this.config.shopify.shopUrlTemplate, shop)}/admin/oauth/authorize`);
    url.searchParams.set('client_id', this.credentials().apiKey);
    url.searchParams.set('scope', this.config.shopify.scopes.join(','));
    url.searchParams.set('redirect_uri', `${this.config.appUrl}/ecommerce/oauth/callback`);
    url.searchParams.set('state', state);
    return url.toString();
  }

  /** Asks for an expiring offline token; shops that answer with a non-expiring one are handled too. */
  exchangeCode(shop: string, code: string): Promise<AccessGrant> {
    return this.tokenRequest(shop, { code, expiring: '1' });
  }

  refresh(shop: string, refreshToken: string): Promise<AccessGrant> {
    return this.tokenRequest(shop, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  credentials(): { apiKey: string; apiSecret: string } {
    const { apiKey, apiSecret } = this.config.shopify;
    if (!apiKey || !apiSecret) throw new Error('SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set to connect shops');
    return { apiKey, apiSecret };
  }

  private async tokenRequest(shop: string, fields: Record<string, string>): Promise<AccessGrant> {
    const { apiKey, apiSecret } = this.credentials();
    const url = `${shopBaseUrl(this.config.shopify.shopUrlTemplate, shop)}/admin/oauth/access_token`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: apiKey, client_secret: apiSecret, ...fields }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ShopifyUnavailableError(`Could not reach ${shop} to exchange the token: ${(error as Error).message}`, 1, null);
    }
    const answer = (await response.json().catch(() => ({}))) as TokenAnswer;
    if (response.status >= 500) {
      throw new ShopifyUnavailableError(`${shop} failed the token request (HTTP ${response.status})`, 1, response.status);
    }
    if (!response.ok || !answer.access_token) {
      const reason = answer.error_description ?? answer.error ?? `HTTP ${response.status}`;
      throw new ShopifyAuthError(`${shop} refused the token request: ${reason}`);
    }
    const now = Date.now();
    return {
      accessToken: answer.access_token,
      scopes: (answer.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      expiresAt: answer.expires_in ? new Date(now + answer.expires_in * 1000) : null,
      refreshToken: answer.refresh_token ?? null,
      refreshTokenExpiresAt: answer.refresh_token_expires_in ? new Date(now + answer.refresh_token_expires_in * 1000) : null,
    };
  }
}
