import { ConfigError, defaultQueuePrefix, loadConfig } from './load-config.js';

const base = {
  ADMIN_TOKEN: 'a-long-enough-admin-token',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce',
      redisUrl: 'redis://127.0.0.1:6379',
      appUrl: 'http://localhost:3000',
      pollIntervalMinutes: 15,
      syncLogRetentionDays: 15,
      role: 'all',
      logLevel: 'info',
      emulatorPort: 4010,
      smtpUrl: null,
      mailFrom: 'POS ecommerce <no-reply@localhost>',
      forwardingTimeScale: 1,
      shopify: {
        apiKey: null,
        apiSecret: null,
        apiVersion: '2026-10',
        shopUrlTemplate: 'https://{shop}',
        connectedRedirectUrl: null,
        scopes: ['read_orders', 'write_orders', 'read_products', 'write_products', 'read_inventory', 'write_inventory', 'read_locations', 'read_merchant_managed_fulfillment_orders', 'write_merchant_managed_fulfillment_orders'],
      },
    });
    expect(config.tokenEncryptionKey).toHaveLength(32);
  });

  it.each([
    [{ TOKEN_ENCRYPTION_KEY: undefined }, 'TOKEN_ENCRYPTION_KEY is required'],
    [{ TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'TOKEN_ENCRYPTION_KEY must be 32 bytes'],
    [{ ADMIN_TOKEN: '' }, 'ADMIN_TOKEN is required'],
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ POLL_INTERVAL_MINUTES: '0' }, 'POLL_INTERVAL_MINUTES must be a number from 0.05'],
    [{ POLL_INTERVAL_MINUTES: '1e3' }, 'POLL_INTERVAL_MINUTES must be a number from 0.05'],
    [{ ROLE: 'both' }, 'ROLE must be one of api, worker, all'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres: or postgresql: URL'],
    [{ SHOPIFY_SHOP_URL_TEMPLATE: 'http://127.0.0.1:4010' }, 'SHOPIFY_SHOP_URL_TEMPLATE must contain "{shop}"'],
    [{ SHOPIFY_CONNECTED_REDIRECT_URL: 'javascript:alert(1)' }, 'SHOPIFY_CONNECTED_REDIRECT_URL must be a http: or https: URL'],
  ])('rejects %p naming the variable', (change, message) => {
    expect(() => loadConfig({ ...base, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...change })).toThrow(message);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({});
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('derives the queue prefix from the database, so deployments with different databases never share queues', () => {
    const a = loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db1:5432/shop_a' }).queuePrefix;
    const b = loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db1:5432/shop_b' }).queuePrefix;
    const elsewhere = loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db2:5432/shop_a' }).queuePrefix;
    expect(a).toMatch(/^pos-shop_a-[0-9a-f]{8}$/);
    expect(new Set([a, b, elsewhere]).size).toBe(3);
    expect(loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db1:5432/shop_a' }).queuePrefix).toBe(a);
    expect(loadConfig({ ...base, QUEUE_PREFIX: 'mine' }).queuePrefix).toBe('mine');
    expect(defaultQueuePrefix('postgres://h/we%20ird:name')).toMatch(/^pos-we_ird_name-/);
  });
});
