import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory.js';
import { loadEnvFile } from './config/env-file.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { ensureDatabase } from './database/ensure-database.js';
import { runMigrations } from './database/run-migrations.js';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await runMigrations(config.databaseUrl);
  const app = await createApp(config);
  // Workers listen too, serving only /health and /metrics (see createApp).
  await app.listen(config.port);
  handleShutdown(app);
  // Every piece of work that matters is transactional and idempotent, and a crash would drop in-flight webhook
  // acknowledgements: a stray rejection is logged loudly instead of taking the process down.
  process.on('unhandledRejection', (reason) => app.get(Logger).error({ err: reason }, 'Unhandled promise rejection'));
}

/**
 * SIGTERM/SIGINT: stop taking requests, let running jobs finish (Nest closes the BullMQ workers, which wait
 * for their active jobs), close the connections, exit 0. A second signal forces the exit.
 */
function handleShutdown(app: INestApplication): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app.get(Logger).log(`${signal} received: shutting down`, 'Shutdown');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.get(Logger).error(error, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: the operator needs to know what to fix, not where in our code it was noticed.
  const message = error instanceof ConfigError ? error.message : `Boot failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
