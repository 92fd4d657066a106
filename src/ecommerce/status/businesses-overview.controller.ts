import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { BUSINESSES_PAGE_SCHEMA } from './status.schemas.js';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto, type Page } from '../../common/paging/page-query.dto.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import { Business } from '../../pos/businesses/business.entity.js';
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

/** For support: which businesses have a shop or another source, how each is doing, and which one a shop domain belongs to. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/businesses')
export class BusinessesOverviewController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly status: StatusService,
  ) {}

  @Get()
  @ApiOkResponse({ schema: BUSINESSES_PAGE_SCHEMA })
  @ApiOperation({ summary: 'Businesses with a shop or another order source, newest first, each with its sources and a green/amber/red verdict' })
  async list(@Query() query: BusinessesOverviewQueryDto): Promise<Page<BusinessOverview>> {
    const page = await this.withSources(query.limit, query.cursor, query.shop);
    const items = await Promise.all(
      page.items.map(async (business): Promise<BusinessOverview> => {
        const { flags, sources, connection } = await this.status.status(business.id);
        return {
          id: business.id,
          name: business.name,
          sources: [...(connection ? [{ kind: 'shopify', shop: connection.shop, status: connection.status }] : []), ...sources.map((s) => ({ kind: s.provider, shop: s.name, status: s.status }))],
          health: verdictOf(flags),
          flags,
        };
      }),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /** Businesses that have a Shopify connection (of any status) or another source, newest first; `shop` narrows to one shop. */
  private async withSources(limit: number, cursor?: string, shop?: string): Promise<Page<{ id: string; name: string }>> {
    const query = this.dataSource
      .createQueryBuilder()
      .select(['b.id AS id', 'b.name AS name', 'b.created_at AS "createdAt"'])
      .from(Business, 'b')
      .where(
        shop
          ? 'EXISTS (SELECT 1 FROM ecommerce_connection c WHERE c.business_id = b.id AND c.shop_domain = :shop)'
          : '(EXISTS (SELECT 1 FROM ecommerce_connection c WHERE c.business_id = b.id) OR EXISTS (SELECT 1 FROM ecommerce_source s WHERE s.business_id = b.id))',
        { shop: shop?.trim().toLowerCase() },
      );
    newestFirst(query, 'b', 'created_at', limit, cursor);
    const rows = await query.getRawMany<{ id: string; name: string; createdAt: Date }>();
    return toPage(rows, limit, (b) => ({ at: new Date(b.createdAt).toISOString(), id: b.id }), ({ id, name }) => ({ id, name }));
  }
}
