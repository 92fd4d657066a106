import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeysService } from './api-keys.service.js';
import { ADMIN_ONLY, IS_PUBLIC, OPERATOR_ACTION } from './auth.decorators.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global guard: every route needs a bearer token unless marked @Public(); `support` may only read, `operator` may also take @OperatorAction()s. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedException('Missing bearer token in the Authorization header');
    const principal = await this.apiKeys.authenticate(match[1]);
    if (!principal) throw new UnauthorizedException('Invalid or revoked token');
    request.principal = principal;

    const targets = [context.getHandler(), context.getClass()];
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets);
    const operatorAction = this.reflector.getAllAndOverride<boolean>(OPERATOR_ACTION, targets);
    if (principal.role === 'admin') return true;
    if (adminOnly) throw new ForbiddenException(`Role "${principal.role}" may not do this; it needs the admin role`);
    if (READ_METHODS.has(request.method)) return true;
    if (principal.role === 'operator' && operatorAction) return true;
    throw new ForbiddenException(
      `Role "${principal.role}" may not do this; it needs the admin role${operatorAction ? ' or the operator role' : ''}`,
    );
  }
}
