import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from './webhook-delivery.entity.js';

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  businessId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only deliveries of this source (a Shopify connection or a source of GET /ecommerce/sources)' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;
}

export class BulkReplayDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiProperty({ enum: ['failed'], description: 'Only failed deliveries are replayed in bulk' })
  @IsIn(['failed'], { message: 'status must be failed' })
  status!: 'failed';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;
}
