import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { BUSINESSES_PAGE_SCHEMA } from './status.schemas.js';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto, type Page } from '../../common/paging/page-query.dto.js';
import { ConnectionService } from '../connection/connection.service.js';
import { SHOP_DOMAIN_PATTERN } from '../shopify/shop-domain.js';
import { verdictOf, type StatusFlag, type Verdict } from './status-flags.js';
import { StatusService } from './status.service.js';

export class BusinessesOverviewQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'corner-coffee.myshopify.com', description: 'Only the business connected to this shop' })
  @IsOptional()
  @Matches(SHOP_DOMAIN_PATTERN, { message: 'shop must be a *.myshopify.com domain' })
  shop?: string;
}

export interface BusinessOverview {
  id: string;
  name: string;
  /** kind: shopify, woocommerce or signed_webhook; shop: the shop domain or the source's name. */
  sources: Array<{ kind: string; shop: string; status: string }>;
  health: Verdict;
  flags: StatusFlag[];
}

/** For support: which businesses have a shop, how each is doing, and which one a shop domain belongs to. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/businesses')
export class BusinessesOverviewController {
  constructor(
    private readonly connections: ConnectionService,
    private readonly status: StatusService,
  ) {}

  @Get()
  @ApiOkResponse({ schema: BUSINESSES_PAGE_SCHEMA })
  @ApiOperation({ summary: 'Businesses with a shop, newest connection first, each with its sources and a green/amber/red verdict' })
  async list(@Query() query: BusinessesOverviewQueryDto): Promise<Page<BusinessOverview>> {
    const page = await this.connections.page(query.limit, query.cursor, query.shop);
    const items = await Promise.all(
      page.items.map(async (connection): Promise<BusinessOverview> => {
        const { flags, sources } = await this.status.status(connection.businessId);
        return {
          id: connection.businessId,
          name: connection.businessName,
          sources: [{ kind: 'shopify', shop: connection.shopDomain, status: connection.status }, ...sources.map((s) => ({ kind: s.provider, shop: s.name, status: s.status }))],
          health: verdictOf(flags),
          flags,
        };
      }),
    );
    return { items, nextCursor: page.nextCursor };
  }
}
