import 'reflect-metadata';
import dotenv from 'dotenv';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { ensureDatabase } from './database/ensure-database.js';
import { runMigrations } from './database/run-migrations.js';

async function bootstrap(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await runMigrations(config.databaseUrl);
  const app = await createApp(config);
  if (config.role === 'worker') {
    await app.init();
  } else {
    await app.listen(config.port);
  }
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: the operator needs to know what to fix, not where in our code it was noticed.
  const message = error instanceof ConfigError ? error.message : `Boot failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
