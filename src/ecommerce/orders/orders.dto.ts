import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto.js';

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
}
