import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { array, object } from '../openapi/schema.js';
import { UuidParam } from '../validation/uuid-param.js';
import { AdminOnly } from './auth.decorators.js';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('admin')
@ApiExtraModels(ApiKeyView)
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { apiKey, key } = await this.apiKeys.create(dto.name, dto.role);
    return { id: apiKey.id, name: apiKey.name, role: apiKey.role, key };
  }

  @Get()
  @ApiOkResponse({ schema: object({ items: array({ $ref: getSchemaPath(ApiKeyView) }) }) })
  async list(): Promise<{ items: ApiKeyView[] }> {
    const keys = await this.apiKeys.list();
    return { items: keys.map(({ id, name, role, createdAt, lastUsedAt }) => ({ id, name, role, createdAt, lastUsedAt })) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(@UuidParam('id') id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
