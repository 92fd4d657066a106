import 'reflect-metadata';
import 'dotenv/config';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { quoteIdent } from '../src/database/ensure-database.js';

/**
 * Fails when the entities and the migrations disagree: applies every migration to a scratch database and asks
 * TypeORM for the SQL that would still be needed (what `migration:generate --check` does), which must be none.
 */
async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce');
  const scratch = `migration_check_${process.pid}_${Date.now()}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
  const url = new URL(base);
  url.pathname = `/${scratch}`;
  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length > 0) {
      console.error('Entities and migrations disagree; a migration is missing. It would need:');
      for (const query of pending.upQueries) console.error(`  ${query.query};`);
      process.exitCode = 1;
    } else {
      console.log(`Migrations match the entities (${dataSource.migrations.length} migrations).`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
