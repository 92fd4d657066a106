import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';
import { SHOP_DOMAIN_PATTERN } from '../shopify/shop-domain.js';

export class ConnectDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiProperty({ example: 'corner-coffee.myshopify.com' })
  @IsString()
  @Matches(SHOP_DOMAIN_PATTERN, { message: 'shop must be a *.myshopify.com domain' })
  shop!: string;
}

export class BusinessIdQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;
}
