import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/pg-errors.js';
import { BusinessesService } from '../businesses/businesses.service.js';
import { Category } from './category.entity.js';

@Injectable()
export class CategoriesService {
  constructor(
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    private readonly businesses: BusinessesService,
  ) {}

  async create(businessId: string, name: string): Promise<Category> {
    await this.businesses.get(businessId);
    try {
      return await this.categories.save(this.categories.create({ businessId, name }));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_category_business_name')) {
        throw new DomainError('conflict', `A category named "${name}" already exists in this business`);
      }
      throw error;
    }
  }

  findInBusiness(businessId: string, id: string): Promise<Category | null> {
    return this.categories.findOne({ where: { businessId, id } });
  }
}
