import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Once per `npm test`: an empty template database for this run. The first test file migrates it; every file
 * then clones it (CREATE DATABASE ... TEMPLATE, milliseconds) and drops its clone when done.
 * Jest loads this file outside its module mapper, so it imports nothing of the project.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `pos_test_${runId}_tmpl`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  process.env.POS_TEST_TEMPLATE_DB = template;
  process.env.POS_TEST_RUN_ID = runId;
}
