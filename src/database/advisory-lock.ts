import type { DataSource } from 'typeorm';

/**
 * Runs `work` holding a Postgres advisory lock named `key`, on a connection of its own, so that one piece of work
 * per key runs at a time across every process and replica. `wait: false` gives up at once (returns null) when
 * another holder has the lock.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, key: string, work: () => Promise<T>, options: { wait: false }): Promise<T | null>;
export async function withAdvisoryLock<T>(dataSource: DataSource, key: string, work: () => Promise<T>, options?: { wait: true }): Promise<T>;
export async function withAdvisoryLock<T>(dataSource: DataSource, key: string, work: () => Promise<T>, options: { wait: boolean } = { wait: true }): Promise<T | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (options.wait) {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    } else {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])) as Array<{ locked: boolean }>;
      if (!locked) return null;
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}
