import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../validation/uuid-param.js';
import { AdminOnly } from './auth.decorators.js';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  async create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { apiKey, key } = await this.apiKeys.create(dto.name, dto.role);
    return { id: apiKey.id, name: apiKey.name, role: apiKey.role, key };
  }

  @Get()
  async list(): Promise<{ items: ApiKeyView[] }> {
    const keys = await this.apiKeys.list();
    return { items: keys.map(({ id, name, role, createdAt, lastUsedAt }) => ({ id, name, role, createdAt, lastUsedAt })) };
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@UuidParam('id') id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
