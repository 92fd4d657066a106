import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { array, dateTime, integer, nullable, object, uuid } from '../../common/openapi/schema.js';
import { BusinessesService } from '../../pos/businesses/businesses.service.js';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { ForwardingQueries } from '../forwarding/forwarding.queries.js';
import { IngestedOrderRepository } from '../orders/ingested-order.repository.js';
import { InboxRepository } from '../webhooks/inbox.repository.js';

const HOURS = 24;

export const ACTIVITY_SCHEMA = object({
  businessId: uuid,
  from: dateTime,
  to: dateTime,
  hours: array(
    object({
      hour: { ...dateTime, description: 'The start of the hour (UTC)' },
      deliveries: { ...integer, description: 'Webhook deliveries received' },
      orders: { ...integer, description: 'Orders ingested (any source, webhook or poll)' },
      forwarded: { ...integer, description: 'Orders delivered to an ERP' },
      forwardingDelayP50Ms: nullable({ ...integer, description: 'Median time from ingestion to the ERP taking it' }),
      forwardingDelayP95Ms: nullable(integer),
    }),
  ),
});

/** What the support console draws: the last 24 hours of a business, hour by hour. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('ecommerce/activity')
export class ActivityController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly businesses: BusinessesService,
    private readonly inbox: InboxRepository,
    private readonly orders: IngestedOrderRepository,
    private readonly forwarding: ForwardingQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries, orders and ERP forwarding (count and delay) per hour for the last 24 hours, every hour listed' })
  @ApiOkResponse({ schema: ACTIVITY_SCHEMA })
  async activity(@Query() query: BusinessIdQueryDto) {
    await this.businesses.get(query.businessId);
    const to = new Date();
    const first = new Date(Math.floor(to.getTime() / 3_600_000) * 3_600_000 - (HOURS - 1) * 3_600_000);
    const [deliveries, orders, forwarded] = await Promise.all([
      this.inbox.perHour(query.businessId, first),
      this.orders.perHour(this.dataSource.manager, query.businessId, first),
      this.forwarding.delayPerHour(query.businessId, first),
    ]);
    const at = (rows: Array<{ hour: Date }>, hour: number) => rows.find((r) => new Date(r.hour).getTime() === hour);
    const hours = Array.from({ length: HOURS }, (_, i) => {
      const hour = first.getTime() + i * 3_600_000;
      const sent = at(forwarded, hour) as { count: number; p50Ms: number; p95Ms: number } | undefined;
      return {
        hour: new Date(hour),
        deliveries: (at(deliveries, hour) as { count: number } | undefined)?.count ?? 0,
        orders: (at(orders, hour) as { count: number } | undefined)?.count ?? 0,
        forwarded: sent?.count ?? 0,
        forwardingDelayP50Ms: sent?.p50Ms ?? null,
        forwardingDelayP95Ms: sent?.p95Ms ?? null,
      };
    });
    return { businessId: query.businessId, from: first, to, hours };
  }
}
