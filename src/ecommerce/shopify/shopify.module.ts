import { Global, Module } from '@nestjs/common';
import { ShopifyCatalogClient, ShopifyCollectionsClient } from './shopify-catalog.client.js';
import { ShopifyGraphqlClient } from './shopify-graphql.client.js';
import { ShopifyInventoryClient } from './shopify-inventory.client.js';
import { ShopifyOAuthClient } from './shopify-oauth.client.js';
import { ShopifyOrdersClient } from './shopify-orders.client.js';
import { ShopifyStatusClient } from './shopify-status.client.js';
import { ShopifyWebhookRegistrar } from './shopify-webhook-registrar.js';

/** The only module that knows Shopify's shapes. */
@Global()
@Module({
  providers: [ShopifyGraphqlClient, ShopifyOAuthClient, ShopifyWebhookRegistrar, ShopifyOrdersClient, ShopifyCatalogClient, ShopifyInventoryClient, ShopifyCollectionsClient, ShopifyStatusClient],
  exports: [ShopifyGraphqlClient, ShopifyOAuthClient, ShopifyWebhookRegistrar, ShopifyOrdersClient, ShopifyCatalogClient, ShopifyInventoryClient, ShopifyCollectionsClient, ShopifyStatusClient],
})
export class ShopifyModule {}
