import { Module } from '@nestjs/common';
import { ProductMappingRepository } from './product-mapping.repository.js';

/** The product mappings' repository on its own, for the orders and inventory modules. */
@Module({ providers: [ProductMappingRepository], exports: [ProductMappingRepository] })
export class ProductMappingModule {}
