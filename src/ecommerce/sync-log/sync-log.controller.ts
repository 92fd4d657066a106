import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SyncLogQueryDto } from './sync-log.dto.js';
import { SyncLogService } from './sync-log.service.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync/logs')
export class SyncLogController {
  constructor(private readonly logs: SyncLogService) {}

  @Get()
  list(@Query() query: SyncLogQueryDto) {
    return this.logs.list(query);
  }
}
