import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto.js';
import { FORWARDING_EVENTS, type ForwardingEvent } from './forwarding.entities.js';

const DOT_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

export class AuthHeaderDto {
  @ApiProperty({ example: 'Authorization' })
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'authHeader.name must be an HTTP header name' })
  name!: string;

  @ApiProperty({ example: 'Bearer erp-token', description: 'Sealed at rest; never shown again or logged' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  value!: string;
}

export class CreateDestinationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiProperty({ example: 'ERP' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'https://erp.example.com/api/orders' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ type: AuthHeaderDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuthHeaderDto)
  authHeader?: AuthHeaderDto;

  @ApiPropertyOptional({ enum: FORWARDING_EVENTS, isArray: true, default: ['order.created'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FORWARDING_EVENTS.length)
  @IsIn(FORWARDING_EVENTS, { each: true, message: `events must be among ${FORWARDING_EVENTS.join(', ')}` })
  events?: ForwardingEvent[];

  @ApiPropertyOptional({ example: 'object.order_id', description: "Dot-path to the ERP's order id in its JSON answer" })
  @IsOptional()
  @Matches(DOT_PATH, { message: 'erpOrderIdPath must be a dot-path such as object.order_id' })
  erpOrderIdPath?: string;

  @ApiPropertyOptional({ example: 'message', description: "Dot-path to the ERP's message in its JSON answer" })
  @IsOptional()
  @Matches(DOT_PATH, { message: 'messagePath must be a dot-path such as message' })
  messagePath?: string;

  @ApiPropertyOptional({ example: ['ops@example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true, message: 'notifyEmails must hold e-mail addresses' })
  notifyEmails?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 15 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateDestinationDto extends PartialType(CreateDestinationDto) {}

export class DestinationsQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;
}

export const VISIBLE_STATUSES = ['pending', 'in_progress', 'on_hold'] as const;

export class MessagesQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  destinationId?: string;

  @ApiPropertyOptional({ enum: VISIBLE_STATUSES })
  @IsOptional()
  @IsIn(VISIBLE_STATUSES)
  status?: (typeof VISIBLE_STATUSES)[number];
}

export class ReprocessDto {
  @ApiPropertyOptional({ description: 'Send again even though the ERP already accepted it' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class BulkReprocessDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  businessId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  destinationId?: string;

  @ApiProperty({ enum: ['on_hold'] })
  @IsIn(['on_hold'], { message: 'status must be on_hold' })
  status!: 'on_hold';
}

