import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import type { Product } from './product.entity.js';
import { CreateProductDto, ProductView, StockAdjustmentDto, StockView } from './products.dto.js';
import { ProductsService } from './products.service.js';

const view = ({ id, sku, name, price, stock, categoryId }: Product): ProductView => ({ id, sku, name, price, stock, categoryId });

@ApiTags('pos')
@ApiBearerAuth()
@Controller('businesses/:businessId/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @ApiCreatedResponse({ type: ProductView })
  async create(@UuidParam('businessId') businessId: string, @Body() dto: CreateProductDto): Promise<ProductView> {
    return view(await this.products.create(businessId, dto));
  }

  @Get(':productId')
  @ApiOkResponse({ type: ProductView })
  async get(@UuidParam('businessId') businessId: string, @UuidParam('productId') productId: string): Promise<ProductView> {
    return view(await this.products.get(businessId, productId));
  }

  @Post(':productId/stock-adjustments')
  @ApiCreatedResponse({ type: StockView, description: 'The stock after the adjustment' })
  async adjust(
    @UuidParam('businessId') businessId: string,
    @UuidParam('productId') productId: string,
    @Body() dto: StockAdjustmentDto,
  ): Promise<StockView> {
    const { stock } = await this.products.adjustStock(businessId, productId, dto);
    return { stock };
  }
}
