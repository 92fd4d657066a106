import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { ThreadReply, ThreadRequest, ThreadRequestKind } from './worker-thread.messages.js';

export type ThreadMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

/** What the api side of ROLE=all asks of the thread that runs its workers. */
export interface WorkerThreadHandle {
  /** Throws, saying why, unless the thread is up and every queue worker in it is running. */
  assertRunning(): Promise<void>;
  /** The thread's own metrics, as prom-client's JSON, for /metrics to merge with the api side's. */
  metrics(): Promise<ThreadMetrics>;
  /**
   * Hands stored deliveries to the thread for processing; false (nothing sent) while no thread is up, so the caller
   * enqueues them instead. What a thread took and did not finish is still `received` in Postgres: the sweeper
   * re-enqueues it.
   */
  handOff(deliveryIds: string[]): boolean;
}

export interface SupervisorEvents {
  ready(restarts: number): void;
  crashed(reason: string, restartInMs: number): void;
}

export interface SupervisorOptions {
  script: URL;
  resourceLimits?: ResourceLimits;
  /** Handed to every thread it starts (worker_threads' workerData). */
  workerData?: unknown;
  events: SupervisorEvents;
  /** First restart delay; it doubles up to `maxRestartDelayMs`, and starts over once a thread stayed up a minute. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  requestTimeoutMs?: number;
}

const STABLE_AFTER_MS = 60_000;

/**
 * Runs one worker thread and keeps it running: a thread that dies (an uncaught error, running out of its heap,
 * a failed boot) is started again after a growing delay, while the acknowledging event loop goes on. The work it
 * had in hand is not lost: queue jobs whose lock lapses are taken over, claims in Postgres lapse and are retaken.
 */
export class WorkerSupervisor implements WorkerThreadHandle {
  private thread: Worker | null = null;
  private ready = false;
  private stopping = false;
  private restarts = 0;
  private delayMs: number;
  private startedAt = 0;
  private lastExit = 'not started yet';
  private restartTimer: NodeJS.Timeout | undefined;
  private nextRequest = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private firstBoot: { resolve(): void } | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.delayMs = options.restartDelayMs ?? 1000;
  }

  /** Starts the thread; resolves once it is ready or has failed its first boot (it is then restarted in the background). */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.firstBoot = { resolve };
      this.spawn();
    });
  }

  get running(): boolean {
    return this.ready;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** Asks the thread to close (its queue workers finish their jobs); terminates it if it has not ended by the deadline. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    thread.postMessage({ kind: 'shutdown' } satisfies ThreadRequest);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    const outcome = await Promise.race([exited, late]).finally(() => clearTimeout(timer));
    if (outcome === 'late') await thread.terminate();
  }

  async assertRunning(): Promise<void> {
    if (!this.ready) throw new Error(`the worker thread is not running (${this.lastExit}); it is restarted automatically`);
    await this.request('health');
  }

  async metrics(): Promise<ThreadMetrics> {
    return (await this.request('metrics')) as ThreadMetrics;
  }

  handOff(deliveryIds: string[]): boolean {
    if (!this.thread || !this.ready) return false;
    this.thread.postMessage({ kind: 'deliveries', ids: deliveryIds } satisfies ThreadRequest);
    return true;
  }

  private request(kind: ThreadRequestKind): Promise<unknown> {
    const thread = this.thread;
    if (!thread || !this.ready) return Promise.reject(new Error('the worker thread is not running'));
    const id = ++this.nextRequest;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the worker thread did not answer "${kind}" within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      thread.postMessage({ kind, id } satisfies ThreadRequest);
    });
  }

  private get timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 2000;
  }

  private spawn(): void {
    const thread = new Worker(this.options.script, { resourceLimits: this.options.resourceLimits, workerData: this.options.workerData });
    this.thread = thread;
    this.startedAt = Date.now();
    let failure: string | null = null;
    thread.on('message', (message: ThreadReply) => this.onMessage(message));
    thread.on('error', (error) => (failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
    thread.on('exit', (code) => this.onExit(thread, failure ?? `exited with code ${code}`));
  }

  private onMessage(message: ThreadReply): void {
    if (message.kind === 'ready') {
      this.ready = true;
      this.options.events.ready(this.restarts);
      this.firstBoot?.resolve();
      this.firstBoot = null;
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.kind === 'error') waiting.reject(new Error(message.message));
    else waiting.resolve(message.result);
  }

  private onExit(thread: Worker, reason: string): void {
    if (this.thread !== thread) return;
    this.thread = null;
    this.ready = false;
    this.lastExit = reason;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`the worker thread ended: ${reason}`));
      this.pending.delete(id);
    }
    this.firstBoot?.resolve();
    this.firstBoot = null;
    if (this.stopping) return;
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.delayMs = this.options.restartDelayMs ?? 1000;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.options.maxRestartDelayMs ?? 30_000);
    this.restarts++;
    this.options.events.crashed(reason, delay);
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }
}
