import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';

export const MAX_STOCK = 1_000_000_000;

export class CreateProductDto {
  @ApiProperty({ example: 'COF-250', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^\S(.*\S)?$/, { message: 'sku must not start or end with whitespace' })
  sku!: string;

  @ApiProperty({ example: 'Coffee beans 250 g', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiProperty({ example: '12.50', description: 'Decimal string with at most 2 decimals' })
  @IsString()
  @Matches(/^\d{1,10}(\.\d{1,2})?$/, { message: 'price must be a decimal string such as "12.50"' })
  price!: string;

  @ApiProperty({ example: 10, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;
}

export class StockAdjustmentDto {
  @ApiProperty({ example: -2, description: 'Non-zero change to the stock' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  delta!: number;

  @ApiProperty({ example: 'recount', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  reason!: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Idempotency key: an adjustment with a reference already applied to this product changes nothing',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference?: string;
}

export class ProductView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '12.50' }) price!: string;
  @ApiProperty() stock!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) categoryId!: string | null;
}

export class StockView {
  @ApiProperty() stock!: number;
}
