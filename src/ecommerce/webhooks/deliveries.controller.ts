import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { array, boolean, integer, object, page, uuid } from '../../common/openapi/schema.js';
import { JobAcceptedDto } from '../../queue/job-accepted.js';
import { DELIVERY_SCHEMA } from './deliveries.schemas.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { BulkReplayDto, DeliveriesQueryDto } from './deliveries.dto.js';

const BULK_REPLAY_SCHEMA = object({ count: integer, ids: array(uuid), more: { ...boolean, description: 'More failed deliveries are left: replay again' } });
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
  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replays every failed delivery of a business (500 at a time); each is processed again, never ingesting twice' })
  @ApiAcceptedResponse({ schema: BULK_REPLAY_SCHEMA, description: 'Queued again; the deliveries list shows each settle' })
  replayFailed(@Body() dto: BulkReplayDto) {
    return this.deliveries.replayFailed(dto);
  }

  @OperatorAction()
  @Post(':id/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Queued again; follow statusUrl' })
  replay(@UuidParam('id') id: string) {
    return this.deliveries.replay(id);
  }
}
