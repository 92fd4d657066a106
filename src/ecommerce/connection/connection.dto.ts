import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SHOP_DOMAIN_PATTERN } from '../shopify/shop-domain.js';

export class ConnectDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  /** Shopify's domains are lowercase: a shop typed with capitals is the same shop. */
  @ApiProperty({ example: 'corner-coffee.myshopify.com' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(SHOP_DOMAIN_PATTERN, { message: 'shop must be a *.myshopify.com domain' })
  shop!: string;
}

export class BusinessIdQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;
}

export class UpdateConnectionDto {
  @ApiProperty({ example: 'gid://shopify/Location/1', description: "A location of the shop, as Shopify's gid or its numeric id" })
  @IsString()
  @MaxLength(128)
  locationId!: string;
}
