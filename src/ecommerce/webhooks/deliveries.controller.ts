import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { page } from '../../common/openapi/schema.js';
import { JobAcceptedDto } from '../../queue/job-accepted.js';
import { DELIVERY_SCHEMA } from './deliveries.schemas.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { DeliveriesQueryDto } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';

@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/webhooks/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOkResponse({ schema: page(DELIVERY_SCHEMA) })
  list(@Query() query: DeliveriesQueryDto) {
    return this.deliveries.list(query);
  }

  @OperatorAction()
  @Post(':id/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Queued again; follow statusUrl' })
  replay(@UuidParam('id') id: string) {
    return this.deliveries.replay(id);
  }
}
