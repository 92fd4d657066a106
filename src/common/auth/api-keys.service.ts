import { DomainError } from '../errors/domain-error.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ApiKey } from './api-key.entity.js';
import { generateKey, hashKey, safeEqual } from './key-hash.js';
import type { Principal } from './principal.js';
import type { Role } from './role.js';

/** Writing last_used_at on every request would turn reads into writes; once a minute is enough to audit. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(name: string, role: Role): Promise<{ apiKey: ApiKey; key: string }> {
    const key = generateKey();
    const apiKey = await this.keys.save(this.keys.create({ name, role, keyHash: hashKey(key), lastUsedAt: null }));
    return { apiKey, key };
  }

  list(): Promise<ApiKey[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async revoke(id: string): Promise<void> {
    const result = await this.keys.delete({ id });
    if (!result.affected) throw new DomainError('not_found', `API key ${id} not found`);
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (safeEqual(token, this.config.adminToken)) return { role: 'admin', id: 'admin-token' };
    const apiKey = await this.keys.findOne({ where: { keyHash: hashKey(token) } });
    if (!apiKey) return null;
    const now = new Date();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update(
        { id: apiKey.id, lastUsedAt: Or(IsNull(), LessThan(new Date(now.getTime() - LAST_USED_RESOLUTION_MS))) },
        { lastUsedAt: now },
      );
    }
    return { role: apiKey.role, id: apiKey.id };
  }
}
