import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

const logger = new Logger('Database');

/**
 * A connection killed by the server (failover, pg_terminate_backend) can emit 'error' after the query that saw the
 * failure has returned its client; with no listener left, Node would end the process. Every client keeps one.
 */
export function guardClient(client: pg.ClientBase): void {
  client.on('error', (error) => logger.warn(`A database connection was lost: ${error.message}`));
}

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: 20, connectionTimeoutMillis: 5000, application_name: 'pos-ecommerce', onConnect: guardClient },
  };
}
