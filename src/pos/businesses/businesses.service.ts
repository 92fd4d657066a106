import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Business } from './business.entity.js';

@Injectable()
export class BusinessesService {
  constructor(@InjectRepository(Business) private readonly businesses: Repository<Business>) {}

  create(name: string): Promise<Business> {
    return this.businesses.save(this.businesses.create({ name }));
  }

  async get(id: string): Promise<Business> {
    const business = await this.businesses.findOne({ where: { id } });
    if (!business) throw new DomainError('not_found', `Business ${id} not found`);
    return business;
  }
}
