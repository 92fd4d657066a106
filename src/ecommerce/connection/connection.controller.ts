import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, HTTP_STATUS_OF } from '../../common/errors/domain-error.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CONNECTED_SCHEMA, CONNECT_STARTED_SCHEMA, CONNECTION_SCHEMA } from './connection.schemas.js';
import { Public } from '../../common/auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ConnectionLocationService } from './connection-location.service.js';
import { BusinessIdQueryDto, ConnectDto, UpdateConnectionDto } from './connection.dto.js';
import { ConnectionService } from './connection.service.js';

@ApiTags('connection')
@Controller('ecommerce')
export class ConnectionController {
  constructor(
    private readonly connections: ConnectionService,
    private readonly locations: ConnectionLocationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('connect')
  @ApiBearerAuth()
  @ApiCreatedResponse({ schema: CONNECT_STARTED_SCHEMA })
  connect(@Body() dto: ConnectDto) {
    return this.connections.startConnect(dto.businessId, dto.shop);
  }

  /**
   * Shopify redirects the merchant's browser here; the query is checked as a whole (hmac, state, shop, timestamp).
   * A browser gets a small page that says what happened, or a 303 to SHOPIFY_CONNECTED_REDIRECT_URL when one is
   * set (the merchant's own admin page, told the outcome in its query); other clients get JSON.
   */
  @Get('oauth/callback')
  @Public()
  @ApiOperation({ summary: "Shopify's OAuth redirect: checks hmac, state, shop and timestamp, stores the connection; HTML for a browser, JSON otherwise" })
  @ApiQuery({ name: 'code', required: true, description: 'Authorization code to exchange for the access token' })
  @ApiQuery({ name: 'hmac', required: true, description: 'Lowercase hex HMAC-SHA256 of the other parameters, sorted and URL-encoded' })
  @ApiQuery({ name: 'shop', required: true, example: 'corner-coffee.myshopify.com' })
  @ApiQuery({ name: 'state', required: true, description: 'The single-use state POST /ecommerce/connect put in the authorize URL' })
  @ApiQuery({ name: 'timestamp', required: true, description: 'Unix seconds; older than 5 minutes is refused' })
  @ApiQuery({ name: 'host', required: false })
  @ApiOkResponse({
    description: 'Connected: JSON for API clients, a small HTML page for a browser',
    content: { 'application/json': { schema: CONNECTED_SCHEMA }, 'text/html': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 303, description: 'A browser, when SHOPIFY_CONNECTED_REDIRECT_URL is set: sent there with status, shop, businessId or error in the query' })
  async callback(@Query() query: Record<string, unknown>, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    const wantsHtml = prefersHtml(accept);
    const redirectTo = this.config.shopify.connectedRedirectUrl;
    try {
      const result = await this.connections.completeCallback(query);
      if (!wantsHtml) return result;
      if (redirectTo) response.redirect(303, withOutcome(redirectTo, { status: 'connected', shop: result.shop, businessId: result.businessId }));
      else response.type('html').send(page('Connected', `Connected ${result.shop}. You can close this window.`));
      return undefined;
    } catch (error) {
      if (!wantsHtml || !(error instanceof DomainError)) throw error;
      const shop = typeof query.shop === 'string' ? query.shop : '';
      if (redirectTo) response.redirect(303, withOutcome(redirectTo, { status: 'failed', shop, error: error.message }));
      else response.status(HTTP_STATUS_OF[error.code]).type('html').send(page('Not connected', `The shop could not be connected: ${error.message}`));
      return undefined;
    }
  }

  @Get('connection')
  @ApiBearerAuth()
  @ApiOkResponse({ schema: CONNECTION_SCHEMA })
  view(@Query() query: BusinessIdQueryDto) {
    return this.connections.view(query.businessId);
  }

  /** Chooses the shop location that POS stock is pushed to (default: the shop's primary location). */
  @Patch('connection')
  @ApiBearerAuth()
  @ApiOkResponse({ schema: CONNECTION_SCHEMA })
  update(@Query() query: BusinessIdQueryDto, @Body() dto: UpdateConnectionDto) {
    return this.locations.choose(query.businessId, dto.locationId);
  }

  @Delete('connection')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Disconnected: webhooks removed where the shop allowed it, polling stopped; orders stay' })
  disconnect(@Query() query: BusinessIdQueryDto) {
    return this.connections.disconnect(query.businessId);
  }
}

function withOutcome(base: string, outcome: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(outcome)) if (value) url.searchParams.set(name, value);
  return url.toString();
}

/** A browser asks for HTML first; curl and API clients do not. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><p>${escapeHtml(message)}</p></body></html>`;
}
