import { Inject, Injectable } from '@nestjs/common';
import { OrderIngestionService } from '../orders/order-ingestion.service.js';
import type { OrderSourceEntity, SourceProvider } from './order-source.entity.js';
import { SOURCE_KINDS, type SourceKind } from './source-kind.js';
import { SourceRepository } from './source.repository.js';

export interface SourceDelivery {
  id: string;
  topic: string;
  connectionId: string | null;
  receivedAt: Date;
}

/** Processes (and replays) a stored delivery of a non-Shopify source through the one ingestion path. */
@Injectable()
export class SourceOrderHandler {
  private readonly kinds: Map<string, SourceKind>;

  constructor(
    @Inject(SOURCE_KINDS) kinds: SourceKind[],
    private readonly sources: SourceRepository,
    private readonly ingestion: OrderIngestionService,
  ) {
    this.kinds = new Map(kinds.map((kind) => [kind.provider, kind]));
  }

  kind(provider: SourceProvider): SourceKind {
    const kind = this.kinds.get(provider);
    if (!kind) throw new Error(`no source kind ${provider}`);
    return kind;
  }

  async handle(delivery: SourceDelivery, payload: Record<string, unknown>): Promise<{ status: 'processed' | 'skipped'; note?: string; recorded?: boolean }> {
    const source: OrderSourceEntity | null = delivery.connectionId ? await this.sources.findCached(delivery.connectionId) : null;
    if (!source) return { status: 'skipped', note: 'the source of this delivery no longer exists' };
    const change = await this.kind(source.provider).changeFor(source, delivery.topic, payload, delivery.receivedAt);
    if (!change) return { status: 'skipped', note: 'nothing to change' };
    const result = await this.ingestion.ingestOne({
      connection: { id: source.id, businessId: source.businessId, provider: source.provider },
      change,
      source: 'webhook',
      deliveryId: delivery.id,
      receivedAt: delivery.receivedAt,
    });
    return { status: 'processed', note: result.outcome === 'ingested' ? undefined : `${result.outcome}: order ${result.orderId}`, recorded: true };
  }
}
