import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { OrdersQueryDto } from './orders.dto.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('ecommerce/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  list(@Query() query: OrdersQueryDto) {
    return this.orders.list(query.businessId, query.limit, query.cursor, query.q);
  }

  @Get(':id')
  detail(@UuidParam('id') id: string) {
    return this.orders.detail(id);
  }
}
