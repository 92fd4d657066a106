import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WORKER_THREAD } from '../runtime/runtime.module.js';
import type { WorkerThreadHandle } from '../runtime/worker-supervisor.js';

/** Whether the queue workers this process runs are running: in its own event loop, or in its worker thread (ROLE=all). */
@Injectable()
export class WorkersProbe {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(WORKER_THREAD) private readonly thread: WorkerThreadHandle | null,
  ) {}

  /** True when this process has workers to check at all. */
  get hasWorkers(): boolean {
    return this.thread !== null || this.hosts().length > 0;
  }

  async assertRunning(): Promise<void> {
    const stopped = this.hosts()
      .filter((host) => !host.worker.isRunning())
      .map((host) => host.worker.name);
    if (stopped.length > 0) throw new Error(`the worker of ${stopped.join(', ')} is not running`);
    await this.thread?.assertRunning();
  }

  private hosts(): WorkerHost[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
  }
}
