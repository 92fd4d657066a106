import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { page } from '../../common/openapi/schema.js';
import { SYNC_LOG_SCHEMA } from './sync-log.schemas.js';
import { SyncLogQueryDto } from './sync-log.dto.js';
import { SyncLogService } from './sync-log.service.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync/logs')
export class SyncLogController {
  constructor(private readonly logs: SyncLogService) {}

  @Get()
  @ApiOkResponse({ schema: page(SYNC_LOG_SCHEMA) })
  list(@Query() query: SyncLogQueryDto) {
    return this.logs.list(query);
  }
}
