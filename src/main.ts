import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { AppLogger } from './common/logging/app-logger.js';
import { createServer } from 'node:net';
import { createApp } from './app.factory.js';
import { loadEnvFile } from './config/env-file.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { ensureDatabase } from './database/ensure-database.js';
import { runMigrations } from './database/run-migrations.js';
import { MetricsService } from './metrics/metrics.service.js';
import { WorkerSupervisor } from './runtime/worker-supervisor.js';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  // Both are checked before any worker starts: a process that cannot serve must not take jobs either.
  let created = false;
  let migrated: string[] = [];
  await reachPostgres(config.databaseUrl, async () => {
    created = await ensureDatabase(config.databaseUrl);
    migrated = await runMigrations(config.databaseUrl);
  });
  await assertPortFree(config.port);
  // ROLE=all: the api in this event loop, the workers in a supervised thread, so that processing never delays an
  // acknowledgement. (The tests' in-process apps keep ROLE=all in one event loop.)
  const booted: { app?: INestApplication } = {};
  const supervisor = config.role === 'all' ? workerThread(() => booted.app) : null;
  const app = await createApp(supervisor ? { ...config, role: 'api' } : config, supervisor);
  booted.app = app;
  // Not awaited: with Redis away the thread's boot waits for it, and the api must listen (and say so) at once.
  void supervisor?.start();
  // Workers listen too, serving only /health and /metrics (see createApp).
  await app.listen(config.port);
  handleShutdown(app, supervisor);
  const database = decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1));
  const schema = `${created ? 'created' : 'found'}, ${migrated.length === 0 ? 'schema up to date' : `${migrated.length} migration(s) applied`}`;
  const serving = config.role === 'worker' ? 'serving /health and /metrics only' : `API docs at ${config.appUrl}/docs`;
  app.get(AppLogger).log(`POS ecommerce (ROLE=${config.role}) listening on port ${config.port} (${config.appUrl}); ${serving}; database ${database} ${schema}`, 'Boot');
  // Every piece of work that matters is transactional and idempotent, and a crash would drop in-flight webhook
  // acknowledgements: a stray rejection is logged loudly instead of taking the process down.
  process.on('unhandledRejection', (reason) => app.get(AppLogger).error({ err: reason }, 'Unhandled promise rejection'));
}

/**
 * SIGTERM/SIGINT: stop taking requests, let running jobs finish (Nest closes the BullMQ workers, which wait
 * for their active jobs), close the connections, exit 0. A second signal forces the exit.
 */
const SHUTDOWN_DEADLINE_MS = 20_000;

/** Heap limits of the worker thread: running out restarts the thread, not the process that acknowledges webhooks. */
const WORKER_THREAD_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

function workerThread(app: () => INestApplication | undefined): WorkerSupervisor {
  const logger = () => app()?.get(AppLogger);
  return new WorkerSupervisor({
    script: new URL('./runtime/worker-thread.js', import.meta.url),
    resourceLimits: WORKER_THREAD_LIMITS,
    events: {
      ready: (restarts) => {
        if (restarts > 0) logger()?.log(`Worker thread running again after ${restarts} restart(s)`, 'WorkerSupervisor');
      },
      crashed: (reason, restartInMs) => {
        // Nothing it held is lost: its jobs and claims lapse and are taken over by the thread that replaces it.
        const message = `Worker thread stopped (${reason}); restarting it in ${restartInMs / 1000} s`;
        const log = logger();
        if (log) log.error(message, 'WorkerSupervisor');
        else process.stderr.write(`${message}\n`);
        app()?.get(MetricsService).workerThreadRestarts.inc();
      },
    },
  });
}

function handleShutdown(app: INestApplication, supervisor: WorkerSupervisor | null): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app.get(AppLogger).log(`${signal} received: shutting down`, 'Shutdown');
    // Closing waits for running jobs and for BullMQ's connections; with Redis away those never answer. A deadline
    // keeps a process manager's SIGTERM meaningful: whatever was not finished is retried from Postgres later.
    setTimeout(() => {
      app.get(AppLogger).error(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting anyway`, 'Shutdown');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    Promise.all([app.close(), supervisor?.stop(SHUTDOWN_DEADLINE_MS - 2000)]).then(
      () => process.exit(0),
      (error: unknown) => {
        app.get(AppLogger).error(error, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** A Postgres that cannot be reached is named with the variable that points at it (password hidden). */
async function reachPostgres(databaseUrl: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000'].includes(code)) {
      throw new BootError(`Cannot reach Postgres at ${redactedUrl(databaseUrl)} (${(error as Error).message}): check DATABASE_URL`);
    }
    throw error;
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new BootError(`PORT ${port} is already in use by another process: stop it or set PORT to a free port`) : error),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** A boot failure whose message already says what to fix. */
class BootError extends Error {}

bootstrap().catch((error: unknown) => {
  // One line, no stack: the operator needs to know what to fix, not where in our code it was noticed.
  const message = error instanceof ConfigError || error instanceof BootError ? error.message : `Boot failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
