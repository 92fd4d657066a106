export const ROLES = ['admin', 'support'] as const;
export type Role = (typeof ROLES)[number];
