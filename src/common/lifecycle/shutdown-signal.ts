import { Global, Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';

export class ShuttingDownError extends Error {
  constructor() {
    super('the process is shutting down');
    this.name = 'ShuttingDownError';
  }
}

/**
 * Aborted when shutdown begins, before the queue workers are closed: long waits (Shopify backoff, throttling)
 * end at once, and running jobs stop at their next safe point instead of holding the shutdown for minutes.
 */
@Injectable()
export class ShutdownSignal implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  throwIfShuttingDown(): void {
    if (this.aborted) throw new ShuttingDownError();
  }

  beforeApplicationShutdown(): void {
    this.controller.abort(new ShuttingDownError());
  }
}

@Global()
@Module({ providers: [ShutdownSignal], exports: [ShutdownSignal] })
export class LifecycleModule {}
