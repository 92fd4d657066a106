import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerSupervisor } from './worker-supervisor.js';

/** A real worker thread running a stand-in script (test/support/fixtures/supervised-thread.mjs). */
const SCRIPT = new URL('../../test/support/fixtures/supervised-thread.mjs', import.meta.url);

describe('WorkerSupervisor', () => {
  let dir: string;
  let supervisor: WorkerSupervisor | null = null;
  const events: string[] = [];

  function supervise(mode: string, options: { requestTimeoutMs?: number } = {}): WorkerSupervisor {
    supervisor = new WorkerSupervisor({
      script: SCRIPT,
      workerData: { mode, bootsFile: join(dir, 'boots') },
      restartDelayMs: 50,
      maxRestartDelayMs: 200,
      requestTimeoutMs: options.requestTimeoutMs,
      events: {
        ready: (restarts) => events.push(`ready after ${restarts} restart(s)`),
        crashed: (reason, restartInMs) => events.push(`crashed (${reason}), restart in ${restartInMs} ms`),
      },
    });
    return supervisor;
  }

  const boots = () => readFileSync(join(dir, 'boots'), 'utf8').length;
  const until = async (check: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms; events: ${events.join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
    events.length = 0;
  });

  afterEach(async () => {
    await supervisor?.stop(500);
    supervisor = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('start resolves once the thread is ready; health and metrics are answered by the thread', async () => {
    const thread = supervise('healthy');
    await thread.start();
    expect(thread.running).toBe(true);
    await expect(thread.assertRunning()).resolves.toBeUndefined();
    expect((await thread.metrics())[0]).toMatchObject({ name: 'boots', values: [{ value: 1 }] });
    expect(events).toEqual(['ready after 0 restart(s)']);
  });

  it('a thread that dies of an uncaught error is started again, says why, and counts the restart', async () => {
    const thread = supervise('crashes-once');
    await thread.start();
    await until(() => events.includes('ready after 1 restart(s)'));
    expect(events[1]).toBe('crashed (Error: boom in a job), restart in 50 ms');
    expect(thread.restartCount).toBe(1);
    expect(boots()).toBe(2);
    expect((await thread.metrics())[0]).toMatchObject({ values: [{ value: 2 }] });
  });

  it('a thread that cannot boot leaves start resolved, health failing with the reason, and is retried with a growing delay', async () => {
    const thread = supervise('fails-to-boot');
    await thread.start();
    expect(thread.running).toBe(false);
    await expect(thread.assertRunning()).rejects.toThrow(/not running \(Error: cannot boot: no database\); it is restarted automatically/);
    await until(() => boots() >= 4);
    const delays = events.map((event) => Number(/restart in (\d+) ms/.exec(event)?.[1]));
    expect(delays.slice(0, 3)).toEqual([50, 100, 200]);
  });

  it('a thread that does not answer within the timeout fails health instead of hanging it', async () => {
    const thread = supervise('silent', { requestTimeoutMs: 100 });
    await thread.start();
    await expect(thread.assertRunning()).rejects.toThrow('the worker thread did not answer "health" within 100 ms');
  });

  it('stop asks the thread to close and does not restart it', async () => {
    const thread = supervise('healthy');
    await thread.start();
    await thread.stop(2000);
    expect(thread.running).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(boots()).toBe(1);
    expect(events).toEqual(['ready after 0 restart(s)']);
  });

  it('stop terminates a thread that has not closed by the deadline', async () => {
    const thread = supervise('ignores-shutdown');
    await thread.start();
    const started = Date.now();
    await thread.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(thread.running).toBe(false);
    expect(events).toEqual(['ready after 0 restart(s)']);
  });
});
