import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { SIGNATURE_ALGORITHMS, SIGNATURE_ENCODINGS } from '../signed-webhook/signature.js';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const DOT_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const PATH_MESSAGE = (name: string) => `${name} must be a dot-path such as "packages" or "supplier_package.supplier_article_number"`;

export class CreateWooCommerceSourceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiProperty({ example: 'https://shop.example.com', description: 'The store URL; the REST API is at <storeUrl>/wp-json/wc/v3' })
  @Transform(trimmed)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'storeUrl must be an http(s) URL' })
  @MaxLength(500)
  storeUrl!: string;

  @ApiProperty({ example: 'ck_…' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  consumerKey!: string;

  @ApiProperty({ example: 'cs_…' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  consumerSecret!: string;

  @ApiPropertyOptional({ example: 'Web shop' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class SignatureDto {
  @ApiProperty({ example: 'X-APIC-WEBHOOK-SIGNATURE' })
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'signature.header must be an HTTP header name' })
  header!: string;

  @ApiProperty({ enum: SIGNATURE_ALGORITHMS })
  @IsIn(SIGNATURE_ALGORITHMS, { message: `signature.algorithm must be one of ${SIGNATURE_ALGORITHMS.join(', ')}` })
  algorithm!: (typeof SIGNATURE_ALGORITHMS)[number];

  @ApiProperty({ enum: SIGNATURE_ENCODINGS })
  @IsIn(SIGNATURE_ENCODINGS, { message: `signature.encoding must be one of ${SIGNATURE_ENCODINGS.join(', ')}` })
  encoding!: (typeof SIGNATURE_ENCODINGS)[number];

  @ApiPropertyOptional({ example: 'sha256=' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  prefix?: string;
}

export class MappingDto {
  @ApiProperty({ example: 'id' }) @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.orderId') }) orderId!: string;
  @ApiProperty({ example: 'order_number' }) @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.orderNumber') }) orderNumber!: string;
  @ApiProperty({ example: 'packages' }) @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.lines') }) lines!: string;
  @ApiProperty({ example: 'supplier_package.supplier_article_number', description: 'Within a line' }) @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.sku') }) sku!: string;
  @ApiProperty({ example: 'quantity_ordered', description: 'Within a line' }) @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.quantity') }) quantity!: string;
  @ApiPropertyOptional({ example: 'ordered_on' }) @IsOptional() @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.updatedAt') }) updatedAt?: string;
  @ApiPropertyOptional({ example: 'status' }) @IsOptional() @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.status') }) status?: string;
  @ApiPropertyOptional({ example: ['CANCELLED'], description: 'Values of `status` that return the stock' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  cancelledStatuses?: string[];
  @ApiPropertyOptional({ example: 'customer.email' }) @IsOptional() @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.customerEmail') }) customerEmail?: string;
  @ApiPropertyOptional({ example: 'theoretical_price', description: "The order's total, passed on to ERP destinations" }) @IsOptional() @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.total') }) total?: string;
  @ApiPropertyOptional({ example: 'currency' }) @IsOptional() @Matches(DOT_PATH, { message: PATH_MESSAGE('mapping.currency') }) currency?: string;
}

export const PRESETS = ['apicbase'] as const;

export class CreateSignedWebhookSourceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiProperty({ example: 'Apicbase purchase orders' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: PRESETS, description: 'Fills signature and mapping for a known sender; fields given here override it' })
  @IsOptional()
  @IsIn(PRESETS, { message: `preset must be one of ${PRESETS.join(', ')}` })
  preset?: (typeof PRESETS)[number];

  @ApiPropertyOptional({ type: SignatureDto, description: 'Required without a preset' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature?: SignatureDto;

  @ApiPropertyOptional({ type: MappingDto, description: 'Required without a preset' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MappingDto)
  mapping?: MappingDto;

  @ApiPropertyOptional({ description: 'Your own secret (at least 16 characters); one is generated otherwise' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
}

export class SourcesQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;
}
