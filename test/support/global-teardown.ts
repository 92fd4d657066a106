import pg from 'pg';

/** Drops the run's template and any clone a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.POS_TEST_RUN_ID;
  if (!runId) return;
  const admin = new pg.Client({
    connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `pos_test_${runId}_%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
