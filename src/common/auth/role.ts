/**
 * admin: everything. operator: reads, plus the day-to-day actions marked @OperatorAction (replay a delivery,
 * poll now, push the catalog); never keys, connections or other settings. support: reads only.
 */
export const ROLES = ['admin', 'operator', 'support'] as const;
export type Role = (typeof ROLES)[number];
