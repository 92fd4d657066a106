import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Business } from './businesses/business.entity.js';
import { BusinessesController } from './businesses/businesses.controller.js';
import { BusinessesService } from './businesses/businesses.service.js';
import { CategoriesController } from './categories/categories.controller.js';
import { CategoriesService } from './categories/categories.service.js';
import { Category } from './categories/category.entity.js';
import { Product } from './products/product.entity.js';
import { ProductsController } from './products/products.controller.js';
import { ProductsService } from './products/products.service.js';
import { StockMovement } from './stock/stock-movement.entity.js';
import { StockService } from './stock/stock.service.js';

/** The POS core this module plugs into. It knows nothing of ecommerce; ecommerce listens to its events. */
@Module({
  imports: [TypeOrmModule.forFeature([Business, Category, Product, StockMovement])],
  controllers: [BusinessesController, CategoriesController, ProductsController],
  providers: [BusinessesService, CategoriesService, ProductsService, StockService],
  exports: [BusinessesService, ProductsService, StockService],
})
export class PosModule {}
