import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CategoryView, CreateCategoryDto } from './categories.dto.js';
import { CategoriesService } from './categories.service.js';

@ApiTags('pos')
@ApiBearerAuth()
@Controller('businesses/:businessId/categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Post()
  @ApiCreatedResponse({ type: CategoryView })
  async create(@UuidParam('businessId') businessId: string, @Body() dto: CreateCategoryDto): Promise<CategoryView> {
    const { id, name } = await this.categories.create(businessId, dto.name);
    return { id, name };
  }
}
