import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve('dist/src/main.js');
/**
 * The built service runs in an empty folder of its own: a developer's `.env` (or `.env.example`) in the checkout
 * must never fill in what a test left out on purpose.
 */
const WORKDIR = mkdtempSync(join(tmpdir(), 'pos-app-'));

/** The built service (`dist/`, built by `pretest`) as `npm start` runs it, with exactly the environment given. */
export function spawnApp(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [MAIN], { cwd: WORKDIR, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The process's exit code; one still running after `ms` is killed (no test leaves a process behind) and fails the test. */
export async function exitCodeOf(child: ChildProcessWithoutNullStreams, ms = 20_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const result = await Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
  if (result === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`the app was still running after ${ms} ms, so it was killed`);
  }
  return result;
}
