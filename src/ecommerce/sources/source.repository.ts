import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import { OrderSourceEntity, type SourceProvider } from './order-source.entity.js';

const CACHE_MS = 5_000;

/** `ecommerce_source`, written only here; secrets go in sealed and come out only through `secretOf`/`credentialsOf`. */
@Injectable()
export class SourceRepository {
  private readonly cache = new Map<string, { source: OrderSourceEntity | null; at: number }>();

  constructor(
    @InjectRepository(OrderSourceEntity) private readonly sources: Repository<OrderSourceEntity>,
    private readonly cipher: TokenCipher,
  ) {}

  async create(input: { businessId: string; provider: SourceProvider; name: string; config: Record<string, unknown>; webhookSecret: string; credentials?: Record<string, string> }): Promise<OrderSourceEntity> {
    return this.sources.save(
      this.sources.create({
        businessId: input.businessId,
        provider: input.provider,
        name: input.name,
        status: 'active',
        config: input.config,
        webhookSecretSealed: this.cipher.encrypt(input.webhookSecret),
        credentialsSealed: input.credentials ? this.cipher.encrypt(JSON.stringify(input.credentials)) : null,
      }),
    );
  }

  find(id: string): Promise<OrderSourceEntity | null> {
    return this.sources.findOneBy({ id });
  }

  /** For the webhook endpoints, which see the same source many times a second: a few seconds stale at most. */
  async findCached(id: string): Promise<OrderSourceEntity | null> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.source;
    const source = await this.find(id);
    this.cache.set(id, { source, at: Date.now() });
    return source;
  }

  forBusiness(businessId: string): Promise<OrderSourceEntity[]> {
    return this.sources.find({ where: { businessId }, order: { createdAt: 'ASC' } });
  }

  active(provider: SourceProvider): Promise<OrderSourceEntity[]> {
    return this.sources.findBy({ provider, status: 'active' });
  }

  secretOf(source: OrderSourceEntity): string {
    return this.cipher.decrypt(source.webhookSecretSealed);
  }

  credentialsOf(source: OrderSourceEntity): Record<string, string> {
    return source.credentialsSealed ? (JSON.parse(this.cipher.decrypt(source.credentialsSealed)) as Record<string, string>) : {};
  }

  async update(id: string, change: Partial<Pick<OrderSourceEntity, 'config' | 'lastSyncedAt' | 'lastDeliveryAt' | 'lastError' | 'status' | 'disconnectedAt'>>): Promise<void> {
    await this.sources.update(id, change as QueryDeepPartialEntity<OrderSourceEntity>);
    this.cache.delete(id);
  }
}
