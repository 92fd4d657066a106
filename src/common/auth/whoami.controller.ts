import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { object, oneOfValues, string } from '../openapi/schema.js';
import { ROLES } from './role.js';

/** Who the bearer token is: what a client (the support console) needs to offer only the actions the key may take. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('auth/whoami')
export class WhoamiController {
  @Get()
  @ApiOperation({ summary: "The token's role and id (admin-token for ADMIN_TOKEN, else the API key's id); any role may ask" })
  @ApiOkResponse({ schema: object({ role: oneOfValues(ROLES), id: string() }) })
  whoami(@Req() req: Request) {
    return { role: req.principal!.role, id: req.principal!.id };
  }
}
