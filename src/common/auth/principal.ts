import type { Role } from './role.js';

export interface Principal {
  role: Role;
  /** `admin-token` for ADMIN_TOKEN, else the API key's id. */
  id: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
