import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runMigrations } from '../../src/database/run-migrations.js';
import { freePort } from './net.js';
import { deleteRedisKeys as deleteKeys } from './redis-keys.js';
import { ADMIN_URL, RUN_ENV, TEMPLATE_ENV, databaseUrl } from './test-env.js';

export { freePort };

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestContext {
  app: NestExpressApplication;
  config: AppConfig;
  /** A pg client on this file's own database, for assertions on what was stored. */
  db: pg.Client;
  baseUrl: string;
  close(): Promise<void>;
}

/** A fresh database cloned from the run's migrated template. */
export async function createTestDatabase(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  const runId = process.env[RUN_ENV];
  if (!template || !runId) throw new Error('Run the tests through jest: the global setup prepares the database');
  const name = `pos_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  // The first file to get here migrates the template; the others wait, then find nothing left to apply.
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
  try {
    await runMigrations(databaseUrl(template));
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // Two files cloning the template at the same instant: Postgres refuses the second for a moment.
        if ((error as { code?: string }).code !== '55006' || attempt > 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    await admin.end();
  }
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  await deleteKeys(REDIS_URL, prefix);
}

export function testEnv(database: string, queuePrefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl(database),
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    ADMIN_TOKEN,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...overrides,
  };
}


/** Boots the whole app, as main.ts does, on a database and a Redis key prefix of its own. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const queuePrefix = `test-${database}`;
  const port = await freePort();
  const config = loadConfig(testEnv(database, queuePrefix, { PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...overrides }));
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const db = new pg.Client({ connectionString: config.databaseUrl });
  await db.connect();
  return {
    app,
    config,
    db,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await db.end();
      await app.close();
      await dropTestDatabase(database);
      await deleteRedisKeys(queuePrefix);
    },
  };
}

export const bearer = (token = ADMIN_TOKEN): Record<string, string> => ({ authorization: `Bearer ${token}` });
