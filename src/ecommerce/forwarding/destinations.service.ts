import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { BusinessesService } from '../../pos/businesses/businesses.service.js';
import { newSigningSecret } from './forwarding-rules.js';
import { ForwardingDestination } from './forwarding.entities.js';
import type { CreateDestinationDto, UpdateDestinationDto } from './forwarding.dto.js';

export interface DestinationView {
  id: string;
  businessId: string;
  name: string;
  url: string;
  /** The header's name only: its value is never shown. */
  authHeaderName: string | null;
  events: string[];
  erpOrderIdPath: string | null;
  messagePath: string | null;
  notifyEmails: string[];
  timeoutSeconds: number;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
}

/** ERP destinations (`ecommerce_forwarding_destination`, written only here); secrets sealed, shown once. */
@Injectable()
export class DestinationsService {
  constructor(
    @InjectRepository(ForwardingDestination) private readonly destinations: Repository<ForwardingDestination>,
    private readonly cipher: TokenCipher,
    private readonly businesses: BusinessesService,
  ) {}

  async create(dto: CreateDestinationDto): Promise<DestinationView & { signingSecret: string }> {
    await this.businesses.get(dto.businessId);
    const signingSecret = newSigningSecret();
    const saved = await this.destinations.save(
      this.destinations.create({
        businessId: dto.businessId,
        name: dto.name,
        url: dto.url,
        authHeaderName: dto.authHeader?.name ?? null,
        authHeaderValueSealed: dto.authHeader ? this.cipher.encrypt(dto.authHeader.value) : null,
        events: dto.events ?? ['order.created'],
        erpOrderIdPath: dto.erpOrderIdPath ?? null,
        messagePath: dto.messagePath ?? null,
        notifyEmails: dto.notifyEmails ?? [],
        timeoutSeconds: dto.timeoutSeconds ?? 15,
        enabled: dto.enabled ?? true,
        signingSecretSealed: this.cipher.encrypt(signingSecret),
      }),
    );
    return { ...view(saved), signingSecret };
  }

  async list(businessId: string): Promise<DestinationView[]> {
    await this.businesses.get(businessId);
    return (await this.destinations.find({ where: { businessId }, order: { createdAt: 'ASC' } })).map(view);
  }

  async get(id: string): Promise<ForwardingDestination> {
    const destination = await this.destinations.findOneBy({ id });
    if (!destination) throw new DomainError('not_found', `Destination ${id} not found`);
    return destination;
  }

  async update(id: string, dto: UpdateDestinationDto): Promise<DestinationView> {
    const destination = await this.get(id);
    if (dto.businessId && dto.businessId !== destination.businessId) throw new DomainError('invalid', 'businessId cannot change: create a destination for the other business');
    Object.assign(destination, {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.url !== undefined ? { url: dto.url } : {}),
      ...(dto.authHeader !== undefined ? { authHeaderName: dto.authHeader.name, authHeaderValueSealed: this.cipher.encrypt(dto.authHeader.value) } : {}),
      ...(dto.events !== undefined ? { events: dto.events } : {}),
      ...(dto.erpOrderIdPath !== undefined ? { erpOrderIdPath: dto.erpOrderIdPath } : {}),
      ...(dto.messagePath !== undefined ? { messagePath: dto.messagePath } : {}),
      ...(dto.notifyEmails !== undefined ? { notifyEmails: dto.notifyEmails } : {}),
      ...(dto.timeoutSeconds !== undefined ? { timeoutSeconds: dto.timeoutSeconds } : {}),
      // Enabling again clears what disabled it.
      ...(dto.enabled !== undefined ? { enabled: dto.enabled, disabledReason: dto.enabled ? null : destination.disabledReason } : {}),
    });
    return view(await this.destinations.save(destination));
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.destinations.delete(id);
  }

  /** By the service itself, saying why (a 410 from the ERP); an admin's PATCH enabling it clears the reason. */
  async disable(id: string, reason: string): Promise<void> {
    await this.destinations.update(id, { enabled: false, disabledReason: reason });
  }

  async rotateSecret(id: string): Promise<{ id: string; signingSecret: string }> {
    await this.get(id);
    const signingSecret = newSigningSecret();
    await this.destinations.update(id, { signingSecretSealed: this.cipher.encrypt(signingSecret) });
    return { id, signingSecret };
  }
}

export const view = (d: ForwardingDestination): DestinationView => ({
  id: d.id,
  businessId: d.businessId,
  name: d.name,
  url: d.url,
  authHeaderName: d.authHeaderName,
  events: d.events,
  erpOrderIdPath: d.erpOrderIdPath,
  messagePath: d.messagePath,
  notifyEmails: d.notifyEmails,
  timeoutSeconds: d.timeoutSeconds,
  enabled: d.enabled,
  disabledReason: d.disabledReason,
  createdAt: d.createdAt,
});
