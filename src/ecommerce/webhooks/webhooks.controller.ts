import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth/auth.decorators.js';
import { WebhookInbox, type WebhookAnswer } from './webhook-inbox.service.js';

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

@Controller('ecommerce/webhooks')
export class WebhooksController {
  constructor(private readonly inbox: WebhookInbox) {}

  /** The body arrives raw (see app.factory.ts): the signature is over the exact bytes Shopify sent. */
  @Post('shopify')
  @Public()
  @HttpCode(200)
  @ApiExcludeEndpoint()
  receive(@Req() request: Request, @Headers() headers: Record<string, string | string[] | undefined>): Promise<WebhookAnswer> {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return this.inbox.receive(body, {
      hmac: header(headers['x-shopify-hmac-sha256']),
      topic: header(headers['x-shopify-topic']),
      shop: header(headers['x-shopify-shop-domain']),
      webhookId: header(headers['x-shopify-webhook-id']),
      eventId: header(headers['x-shopify-event-id']),
      triggeredAt: header(headers['x-shopify-triggered-at']),
    });
  }
}
