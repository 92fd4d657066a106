import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/pg-errors.js';
import { BusinessesService } from '../businesses/businesses.service.js';
import { CategoriesService } from '../categories/categories.service.js';
import { StockService, type MovementResult } from '../stock/stock.service.js';
import { Product } from './product.entity.js';
import type { CreateProductDto, StockAdjustmentDto } from './products.dto.js';

@Injectable()
export class ProductsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly businesses: BusinessesService,
    private readonly categories: CategoriesService,
    private readonly stock: StockService,
  ) {}

  /** The product and its opening stock movement are written together, so the ledger sums to the stock. */
  async create(businessId: string, dto: CreateProductDto): Promise<Product> {
    await this.businesses.get(businessId);
    if (dto.categoryId && !(await this.categories.findInBusiness(businessId, dto.categoryId))) {
      throw new DomainError('unprocessable', `categoryId ${dto.categoryId} is not a category of this business`);
    }
    try {
      const [product, opening] = await this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(Product, {
            businessId,
            sku: dto.sku,
            name: dto.name,
            price: dto.price,
            stock: 0,
            categoryId: dto.categoryId ?? null,
          }),
        );
        const movements =
          dto.stock === 0
            ? []
            : await this.stock.apply(manager, businessId, [{ productId: saved.id, delta: dto.stock, reason: 'initial', reference: 'initial' }], {
                allowNegative: false,
              });
        saved.stock = dto.stock;
        return [saved, movements] as const;
      });
      this.stock.emitChanges(opening);
      return product;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_product_business_sku')) {
        throw new DomainError('conflict', `A product with sku "${dto.sku}" already exists in this business`);
      }
      throw error;
    }
  }

  /** Products by id (any business), with what a support view shows of them. */
  summaries(ids: string[]): Promise<Array<{ id: string; sku: string; name: string }>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.query('SELECT id, sku, name FROM product WHERE id = ANY($1::uuid[])', [ids]);
  }

  async get(businessId: string, productId: string): Promise<Product> {
    const product = await this.dataSource.getRepository(Product).findOne({ where: { id: productId, businessId } });
    if (!product) throw new DomainError('not_found', `Product ${productId} not found in business ${businessId}`);
    return product;
  }

  adjustStock(businessId: string, productId: string, dto: StockAdjustmentDto): Promise<MovementResult> {
    return this.stock.adjust(businessId, {
      productId,
      delta: dto.delta,
      reason: dto.reason,
      reference: `manual:${dto.reference ?? randomUUID()}`,
    });
  }
}
