import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ORDER_DETAIL_SCHEMA, ORDER_PAGE_SCHEMA } from './orders.schemas.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { OrdersQueryDto } from './orders.dto.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('ecommerce/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOkResponse({ schema: ORDER_PAGE_SCHEMA })
  list(@Query() query: OrdersQueryDto) {
    return this.orders.list(query.businessId, query.limit, query.cursor, query.q, query);
  }

  @Get(':id')
  @ApiOkResponse({ schema: ORDER_DETAIL_SCHEMA, description: "The order's timeline: lines and their products, refunds, stock movements, deliveries, polls and logs" })
  detail(@UuidParam('id') id: string) {
    return this.orders.detail(id);
  }
}
