import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto.js';
import { ORDER_STATUSES, type OrderStatus } from './ingested-order.entity.js';

export const FORWARDING_FILTERS = ['pending', 'in_progress', 'on_hold', 'none'] as const;
export type ForwardingFilter = (typeof FORWARDING_FILTERS)[number];

export class OrdersQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiPropertyOptional({ description: 'Finds orders by number (#1042 or 1042), the source\'s order id, a line\'s SKU, or the buyer\'s e-mail', example: '#1042' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only orders of this source (a Shopify connection or a source of GET /ecommerce/sources)' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Ingested at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Ingested before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;

  @ApiPropertyOptional({ enum: FORWARDING_FILTERS, description: 'Orders with an ERP message in this state (none: not forwarded to any destination)' })
  @IsOptional()
  @IsIn(FORWARDING_FILTERS, { message: `forwarding must be one of ${FORWARDING_FILTERS.join(', ')}` })
  forwarding?: ForwardingFilter;
}
