import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { parentPort } from 'node:worker_threads';
import { AppModule } from '../app.module.js';
import { AppLogger } from '../common/logging/app-logger.js';
import { loadConfig } from '../config/load-config.js';
import { DeliveryHandoff } from '../ecommerce/webhooks/delivery-handoff.service.js';
import { WorkersProbe } from '../health/workers-probe.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { lowerThreadPriority, WORKER_THREAD_NICENESS } from './thread-priority.js';
import type { ThreadReply, ThreadRequest } from './worker-thread.messages.js';

/**
 * The worker thread of ROLE=all: every queue worker, dispatcher and schedule of ROLE=worker, without HTTP, so that
 * processing never holds up the event loop that acknowledges webhooks. main.ts supervises it (WorkerSupervisor).
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-thread.js runs only as the worker thread of ROLE=all');
  const niceness = lowerThreadPriority(WORKER_THREAD_NICENESS);
  const config = { ...loadConfig(), role: 'worker' as const };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  if (niceness === null) logger.warn('The worker thread could not lower its scheduling priority: under heavy load it competes with acknowledging webhooks', 'WorkerThread');
  // As in main.ts: a stray rejection is logged loudly; the work it belonged to is transactional and retried.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection in the worker thread'));
  const handoff = app.get(DeliveryHandoff);
  let closing = false;
  port.on('message', (message: ThreadRequest) => {
    if (message.kind === 'shutdown') {
      if (closing) return;
      closing = true;
      void close(app).then((code) => process.exit(code));
      return;
    }
    if (message.kind === 'deliveries') {
      handoff.take(message.ids);
      return;
    }
    void answer(app, message).then((reply) => port.postMessage(reply));
  });
  await app.init();
  port.postMessage({ kind: 'ready' } satisfies ThreadReply);
}

async function answer(app: INestApplicationContext, request: Extract<ThreadRequest, { id: number }>): Promise<ThreadReply> {
  try {
    const result = request.kind === 'health' ? await app.get(WorkersProbe).assertRunning() : await app.get(MetricsService).registry.getMetricsAsJSON();
    return { kind: 'result', id: request.id, result: result ?? null };
  } catch (error) {
    return { kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
}

async function close(app: INestApplicationContext): Promise<number> {
  try {
    await app.close();
    return 0;
  } catch (error) {
    app.get(AppLogger).error(error, 'Worker thread shutdown failed');
    return 1;
  }
}

await run();
