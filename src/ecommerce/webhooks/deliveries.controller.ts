import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { DeliveriesQueryDto } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';

@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/webhooks/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  list(@Query() query: DeliveriesQueryDto) {
    return this.deliveries.list(query);
  }

  @OperatorAction()
  @Post(':id/replay')
  @HttpCode(202)
  replay(@UuidParam('id') id: string) {
    return this.deliveries.replay(id);
  }
}
