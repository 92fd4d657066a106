import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { spawnApp } from './spawn-app.js';
import { eventually } from './eventually.js';

/** The built service (`dist/`, built by `pretest`) in a process of its own, which a test may kill and restart. */
export class AppProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** True when the process ended without being asked to (a crash). */
  get exited(): boolean {
    return this.child !== null && this.ended && !this.stopping;
  }

  private stopping = false;

  /** Ended by itself or by a signal (a killed process has a signal code and no exit code). */
  private get ended(): boolean {
    return this.child !== null && (this.child.exitCode !== null || this.child.signalCode !== null);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.child = spawnApp({ ...this.env, PORT: String(this.port), APP_URL: this.env.APP_URL ?? this.baseUrl });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await eventually(async () => {
      if (this.child?.exitCode !== null) throw new Error(`the app exited: ${this.output.slice(-2000)}`);
      expect((await fetch(`${this.baseUrl}/health`)).status).toBe(200);
    }, 30_000, 100);
  }

  /** SIGKILL: no shutdown hook runs, as when a machine dies. */
  async kill(): Promise<void> {
    if (!this.child || this.ended) return;
    this.stopping = true;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (!this.child || this.ended) return;
    this.stopping = true;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
    await this.kill();
  }
}
