import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators.js';
import { ConnectionLocationService } from './connection-location.service.js';
import { BusinessIdQueryDto, ConnectDto, UpdateConnectionDto } from './connection.dto.js';
import { ConnectionService } from './connection.service.js';

@ApiTags('connection')
@Controller('ecommerce')
export class ConnectionController {
  constructor(
    private readonly connections: ConnectionService,
    private readonly locations: ConnectionLocationService,
  ) {}

  @Post('connect')
  @ApiBearerAuth()
  connect(@Body() dto: ConnectDto) {
    return this.connections.startConnect(dto.businessId, dto.shop);
  }

  /** Shopify redirects the merchant here; the query is checked as a whole (hmac, state, shop, timestamp). */
  @Get('oauth/callback')
  @Public()
  callback(@Query() query: Record<string, unknown>) {
    return this.connections.completeCallback(query);
  }

  @Get('connection')
  @ApiBearerAuth()
  view(@Query() query: BusinessIdQueryDto) {
    return this.connections.view(query.businessId);
  }

  /** Chooses the shop location that POS stock is pushed to (default: the shop's primary location). */
  @Patch('connection')
  @ApiBearerAuth()
  update(@Query() query: BusinessIdQueryDto, @Body() dto: UpdateConnectionDto) {
    return this.locations.choose(query.businessId, dto.locationId);
  }

  @Delete('connection')
  @ApiBearerAuth()
  @HttpCode(204)
  disconnect(@Query() query: BusinessIdQueryDto) {
    return this.connections.disconnect(query.businessId);
  }
}
