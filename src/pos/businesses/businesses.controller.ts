import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { BusinessView, CreateBusinessDto } from './businesses.dto.js';
import { BusinessesService } from './businesses.service.js';

@ApiTags('pos')
@ApiBearerAuth()
@Controller('businesses')
export class BusinessesController {
  constructor(private readonly businesses: BusinessesService) {}

  @Post()
  @ApiCreatedResponse({ type: BusinessView })
  async create(@Body() dto: CreateBusinessDto): Promise<BusinessView> {
    const { id, name } = await this.businesses.create(dto.name);
    return { id, name };
  }

  @Get(':businessId')
  @ApiOkResponse({ type: BusinessView })
  async get(@UuidParam('businessId') businessId: string): Promise<BusinessView> {
    const { id, name } = await this.businesses.get(businessId);
    return { id, name };
  }
}
