import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

/** `npm test` without Postgres or Redis: one line that says which and where, instead of hundreds of failures. */
function missing(what: string, where: string, why: string, variable: string): never {
  process.stderr.write(`\nnpm test needs ${what} at ${where} (${why}): start it (README, "Run it") or set ${variable}.\n`);
  process.exit(1);
}

function redisAnswers(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH') ? null : data.toString().trim()));
  });
}

/**
 * Once per `npm test`: an empty template database for this run. The first test file migrates it; every file
 * then clones it (CREATE DATABASE ... TEMPLATE, milliseconds) and drops its clone when done.
 * Jest loads this file outside its module mapper, so it imports nothing of the project.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `pos_test_${runId}_tmpl`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisProblem = await redisAnswers(redisUrl);
  if (redisProblem) missing('Redis', redisUrl, redisProblem, 'REDIS_URL');
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await admin.connect().catch((error: NodeJS.ErrnoException) => missing('Postgres', adminUrl.replace(/:[^:@/]*@/, ':***@'), error.code ?? error.message, 'TEST_DATABASE_ADMIN_URL'));
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  process.env.POS_TEST_TEMPLATE_DB = template;
  process.env.POS_TEST_RUN_ID = runId;
}
