import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ShopifyRequestError } from './shopify-errors.js';
import { ShopifyGraphqlClient, type ShopSession } from './shopify-graphql.client.js';
import { REGISTERED_TOPICS } from './webhook-topics.js';

const LIST = /* GraphQL */ `
  query WebhookSubscriptions($after: String) {
    webhookSubscriptions(first: 50, after: $after) {
      nodes { id topic uri }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const CREATE = /* GraphQL */ `
  mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
      webhookSubscription { id topic uri }
      userErrors { field message }
    }
  }
`;

const DELETE = /* GraphQL */ `
  mutation WebhookSubscriptionDelete($id: ID!) {
    webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId
      userErrors { field message }
    }
  }
`;

interface Subscription {
  id: string;
  topic: string;
  uri: string;
}

export interface RegistrationResult {
  created: string[];
  alreadyPresent: string[];
}

/** Keeps the shop's webhook subscriptions for our address exactly one per topic; safe to run again. */
@Injectable()
export class ShopifyWebhookRegistrar {
  constructor(
    private readonly graphql: ShopifyGraphqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get address(): string {
    return `${this.config.appUrl}/ecommerce/webhooks/shopify`;
  }

  async register(session: ShopSession): Promise<RegistrationResult> {
    const ours = (await this.list(session)).filter((s) => s.uri === this.address);
    const result: RegistrationResult = { created: [], alreadyPresent: [] };
    for (const [restTopic, topic] of Object.entries(REGISTERED_TOPICS)) {
      if (ours.some((s) => s.topic === topic)) {
        result.alreadyPresent.push(restTopic);
        continue;
      }
      const answer = await this.graphql.request<{
        webhookSubscriptionCreate: { userErrors: Array<{ message: string }> };
      }>(session, CREATE, { topic, webhookSubscription: { uri: this.address, format: 'JSON' } });
      const errors = answer.webhookSubscriptionCreate.userErrors;
      if (errors.length > 0) {
        throw new ShopifyRequestError(`Shopify refused the ${restTopic} webhook: ${errors.map((e) => e.message).join('; ')}`, errors);
      }
      result.created.push(restTopic);
    }
    return result;
  }

  /** Removes our subscriptions, so that a disconnected shop stops calling us. */
  async unregister(session: ShopSession): Promise<number> {
    const ours = (await this.list(session)).filter((s) => s.uri === this.address);
    for (const subscription of ours) await this.graphql.request(session, DELETE, { id: subscription.id });
    return ours.length;
  }

  private async list(session: ShopSession): Promise<Subscription[]> {
    const all: Subscription[] = [];
    let after: string | null = null;
    do {
      const page: { webhookSubscriptions: { nodes: Subscription[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await this.graphql.request(session, LIST, { after });
      all.push(...page.webhookSubscriptions.nodes);
      after = page.webhookSubscriptions.pageInfo.hasNextPage ? page.webhookSubscriptions.pageInfo.endCursor : null;
    } while (after);
    return all;
  }
}
