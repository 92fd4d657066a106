import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How much nicer than the process the worker thread of ROLE=all runs. Its work can wait a moment (every delivery is
 * already stored), acknowledgements cannot: on a busy machine the scheduler gives the api thread a core first, and
 * the worker thread still gets every cycle the api leaves idle. Measured by `npm run bench -- webhook-ingest`.
 */
export const WORKER_THREAD_NICENESS = 10;

/**
 * Makes the calling thread `by` steps nicer than it is (Linux: each thread is a task of its own, named by
 * /proc/thread-self; lowering one's own priority needs no privilege). The new niceness, or null where that is not
 * possible (another OS, a sandbox without /proc), in which case the thread keeps the process's priority.
 */
export function lowerThreadPriority(by: number): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    const niceness = Math.min(19, getPriority(tid) + by);
    setPriority(tid, niceness);
    return niceness;
  } catch {
    return null;
  }
}
