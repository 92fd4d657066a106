import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { CANCEL_REASONS, type CancelReason } from './status-rules.js';

export class FulfillmentLineDto {
  @ApiPropertyOptional({ example: 'SKU-9', description: 'The line by its SKU (or give productId)' })
  @ValidateIf((line: FulfillmentLineDto) => line.productId === undefined)
  @IsString({ message: 'each line needs a sku or a productId' })
  @MinLength(1)
  @MaxLength(255)
  sku?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The line by the POS product it matched' })
  @IsOptional()
  @IsUUID()
  productId?: string;

  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}

export class FulfillmentDto {
  @ApiPropertyOptional({ example: 'UPS', description: "Spelled as in Shopify's list of tracking companies, so the shop builds the tracking URL" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  trackingCompany?: string;

  @ApiPropertyOptional({ example: '1Z999AA10123456784' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  trackingNumber?: string;

  @ApiPropertyOptional({ example: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', description: 'Needs trackingNumber' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'trackingUrl must be an http(s) URL' })
  @MaxLength(2000)
  trackingUrl?: string;

  @ApiPropertyOptional({ default: false, description: 'Whether the shop e-mails the customer the shipping confirmation' })
  @IsOptional()
  @IsBoolean()
  notifyCustomer?: boolean;

  @ApiPropertyOptional({ type: [FulfillmentLineDto], description: 'The lines to fulfil; without it, everything not fulfilled yet' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @ValidateNested({ each: true })
  @Type(() => FulfillmentLineDto)
  lines?: FulfillmentLineDto[];
}

export class CancelDto {
  @ApiProperty({ enum: CANCEL_REASONS })
  @IsIn(CANCEL_REASONS, { message: `reason must be one of ${CANCEL_REASONS.join(', ')}` })
  reason!: CancelReason;

  @ApiProperty({ description: "Whether the shop returns the order's units to its stock (POS stock follows what the shop does)" })
  @IsBoolean()
  restock!: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  notifyCustomer?: boolean;

  @ApiPropertyOptional({ example: 'Customer called to cancel', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  staffNote?: string;
}

