import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, OperatorAction } from '../../common/auth/auth.decorators.js';
import { JobAcceptedDto } from '../../queue/job-accepted.js';
import { array } from '../../common/openapi/schema.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CreateSignedWebhookSourceDto, CreateWooCommerceSourceDto, SourcesQueryDto } from './sources.dto.js';
import { CREATED_SIGNED_SOURCE_SCHEMA, SOURCE_SCHEMA } from './sources.schemas.js';
import { SourcesService } from './sources.service.js';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('ecommerce/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @ApiOperation({ summary: "A business's order sources: its Shopify connection, WooCommerce stores and signed-webhook senders" })
  @ApiOkResponse({ schema: array(SOURCE_SCHEMA) })
  list(@Query() query: SourcesQueryDto) {
    return this.sources.list(query.businessId);
  }

  @AdminOnly()
  @Post('woocommerce')
  @ApiOperation({ summary: 'Connects a WooCommerce store: checks the keys, registers order webhooks, schedules polling' })
  @ApiCreatedResponse({ schema: SOURCE_SCHEMA })
  woocommerce(@Body() dto: CreateWooCommerceSourceDto) {
    return this.sources.connectWooCommerce(dto);
  }

  @AdminOnly()
  @Post('signed-webhook')
  @ApiOperation({ summary: 'Creates a source for HMAC-signed order webhooks (preset "apicbase" for Apicbase purchase orders)' })
  @ApiCreatedResponse({ schema: CREATED_SIGNED_SOURCE_SCHEMA, description: 'The secret is shown this once' })
  signedWebhook(@Body() dto: CreateSignedWebhookSourceDto) {
    return this.sources.createSignedWebhook(dto);
  }

  @OperatorAction()
  @Post(':id/poll')
  @HttpCode(202)
  @ApiOperation({ summary: 'Polls a WooCommerce source now' })
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  poll(@UuidParam('id') id: string) {
    return this.sources.pollNow(id);
  }

  @AdminOnly()
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Disconnected; its orders stay' })
  disconnect(@UuidParam('id') id: string) {
    return this.sources.disconnect(id);
  }
}
