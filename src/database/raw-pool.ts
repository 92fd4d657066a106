import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg pool under TypeORM's DataSource, for the few hot paths (the webhook acknowledgement) where one plain
 * parameterised statement matters more than TypeORM's per-query runner.
 */
export function rawPool(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}
