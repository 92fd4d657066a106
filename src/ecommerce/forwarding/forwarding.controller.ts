import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { array } from '../../common/openapi/schema.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { DestinationsService } from './destinations.service.js';
import { BulkReprocessDto, CreateDestinationDto, DestinationsQueryDto, MessagesQueryDto, ReprocessDto, UpdateDestinationDto } from './forwarding.dto.js';
import { ForwardingQueries } from './forwarding.queries.js';
import { ForwardingRepository } from './forwarding.repository.js';
import { CREATED_DESTINATION_SCHEMA, DESTINATION_SCHEMA, MESSAGE_PAGE_SCHEMA, REPROCESSED_SCHEMA, ROTATED_SECRET_SCHEMA } from './forwarding.schemas.js';

@ApiTags('forwarding')
@ApiBearerAuth()
@Controller('ecommerce/forwarding')
export class ForwardingController {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly messages: ForwardingRepository,
    private readonly queries: ForwardingQueries,
  ) {}

  @AdminOnly()
  @Post('destinations')
  @ApiOperation({ summary: "Adds an ERP endpoint that gets every new order (and, if asked, its cancellation)" })
  @ApiCreatedResponse({ schema: CREATED_DESTINATION_SCHEMA, description: 'The signing secret is shown this once' })
  create(@Body() dto: CreateDestinationDto) {
    return this.destinations.create(dto);
  }

  @Get('destinations')
  @ApiOkResponse({ schema: array(DESTINATION_SCHEMA) })
  list(@Query() query: DestinationsQueryDto) {
    return this.destinations.list(query.businessId);
  }

  @AdminOnly()
  @Patch('destinations/:id')
  @ApiOkResponse({ schema: DESTINATION_SCHEMA })
  update(@UuidParam('id') id: string, @Body() dto: UpdateDestinationDto) {
    return this.destinations.update(id, dto);
  }

  @AdminOnly()
  @Delete('destinations/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed, with its messages and their attempts' })
  remove(@UuidParam('id') id: string) {
    return this.destinations.remove(id);
  }

  @AdminOnly()
  @Post('destinations/:id/rotate-secret')
  @ApiCreatedResponse({ schema: ROTATED_SECRET_SCHEMA, description: 'The new secret signs from now on; shown this once' })
  rotate(@UuidParam('id') id: string) {
    return this.destinations.rotateSecret(id);
  }

  @Get('messages')
  @ApiOperation({ summary: 'Forwarding messages, newest first: their status per destination, ERP order id and message' })
  @ApiOkResponse({ schema: MESSAGE_PAGE_SCHEMA })
  messagesList(@Query() query: MessagesQueryDto) {
    return this.queries.list(query);
  }

  @AdminOnly()
  @Post('messages/:id/reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: 'Sends a message again now, in a new round of retries; one the ERP already has needs {force: true}' })
  @ApiAcceptedResponse({ schema: REPROCESSED_SCHEMA })
  async reprocess(@UuidParam('id') id: string, @Body() dto: ReprocessDto) {
    const ids = await this.messages.reprocess({ ids: [id], statuses: dto.force ? ['pending', 'on_hold', 'in_progress'] : ['pending', 'on_hold'] });
    if (ids.length === 0) {
      const [message] = (await this.queries.byIds([id])) ?? [];
      if (!message) throw new DomainError('not_found', `Message ${id} not found`);
      if (message.status === 'in_progress') throw new DomainError('conflict', `Message ${id} was accepted by the ERP already: send {"force": true} to send it again on purpose`);
      throw new DomainError('conflict', `Message ${id} is being sent right now`);
    }
    return { reprocessed: ids.length, ids };
  }

  @AdminOnly()
  @Post('reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: "Sends again every held message of a business (or of one of its destinations)" })
  @ApiAcceptedResponse({ schema: REPROCESSED_SCHEMA })
  async bulk(@Body() dto: BulkReprocessDto) {
    const ids = await this.messages.reprocess({ businessId: dto.businessId, destinationId: dto.destinationId, statuses: [dto.status] });
    return { reprocessed: ids.length, ids };
  }
}
