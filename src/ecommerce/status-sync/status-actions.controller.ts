import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CancelDto, FulfillmentDto } from './status-actions.dto.js';
import { StatusActionsService } from './status-actions.service.js';
import { REQUEST_ACCEPTED_SCHEMA } from './status-sync.schemas.js';

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'The same key on the same order is one request, however often it is sent; without a key, the same body within a minute is',
};
const ACCEPTED = { schema: REQUEST_ACCEPTED_SCHEMA, description: "Stored; the workers send it to the shop. Follow it on the order's timeline" };
const CONFLICT = { description: 'It cannot apply to the order as it stands (already cancelled, fulfilled, paid; the shop must be reconnected for a scope), with the reason' };

/** The order's fate back to its shop: admin, or an operator key (such as one an ERP uses). */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('ecommerce/orders')
export class StatusActionsController {
  constructor(private readonly actions: StatusActionsService) {}

  @OperatorAction()
  @Post(':id/fulfillment')
  @HttpCode(202)
  @ApiOperation({ summary: 'Fulfils the order (or the given lines) in the shop, with tracking' })
  @ApiHeader(IDEMPOTENCY)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiConflictResponse(CONFLICT)
  fulfil(@UuidParam('id') id: string, @Body() dto: FulfillmentDto, @Headers('idempotency-key') key: string | undefined, @Req() req: Request) {
    return this.actions.request(id, 'fulfillment', { ...dto }, { idempotencyKey: key, principal: req.principal });
  }

  @OperatorAction()
  @Post(':id/mark-paid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Marks the order as paid in the shop (its outstanding balance collected outside the shop)' })
  @ApiHeader(IDEMPOTENCY)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiConflictResponse(CONFLICT)
  markPaid(@UuidParam('id') id: string, @Body() body: Record<string, unknown> | undefined, @Headers('idempotency-key') key: string | undefined, @Req() req: Request) {
    const fields = Object.keys(body ?? {});
    if (fields.length > 0) throw new DomainError('invalid', `mark-paid takes no body: remove ${fields.join(', ')}`);
    return this.actions.request(id, 'mark_paid', {}, { idempotencyKey: key, principal: req.principal });
  }

  @OperatorAction()
  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancels the order in the shop, restocking it there or not; POS stock follows what the shop does, once' })
  @ApiHeader(IDEMPOTENCY)
  @ApiAcceptedResponse(ACCEPTED)
  @ApiConflictResponse(CONFLICT)
  cancel(@UuidParam('id') id: string, @Body() dto: CancelDto, @Headers('idempotency-key') key: string | undefined, @Req() req: Request) {
    return this.actions.request(id, 'cancel', { ...dto }, { idempotencyKey: key, principal: req.principal });
  }
}
