import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { STATUS_SCHEMA } from './status.schemas.js';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { StatusService } from './status.service.js';

@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /** Is sync healthy for this business, and if not, why: every problem found is in `flags`, in plain words. */
  @Get()
  @ApiOkResponse({ schema: STATUS_SCHEMA })
  get(@Query() query: BusinessIdQueryDto) {
    return this.status.status(query.businessId);
  }
}
