import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** Marks a route that needs no bearer token (health, docs, signed callbacks and webhooks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const ADMIN_ONLY = 'auth:admin-only';

/** Marks a route that only the admin role may use, even to read. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);

export const OPERATOR_ACTION = 'auth:operator-action';

/** Marks an action that the operator role may take too (besides admin): support work, not configuration. */
export const OperatorAction = (): MethodDecorator & ClassDecorator => SetMetadata(OPERATOR_ACTION, true);
