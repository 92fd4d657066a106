import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { WorkerThreadHandle } from './worker-supervisor.js';

/** The worker thread of ROLE=all as the api side sees it; null where the workers run in this event loop or nowhere. */
export const WORKER_THREAD = Symbol('WORKER_THREAD');

@Global()
@Module({})
export class RuntimeModule {
  static forRoot(workerThread: WorkerThreadHandle | null): DynamicModule {
    return { module: RuntimeModule, providers: [{ provide: WORKER_THREAD, useValue: workerThread }], exports: [WORKER_THREAD] };
  }
}
