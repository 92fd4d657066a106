import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { WORKER_THREAD_NICENESS } from '../src/runtime/thread-priority.js';
import { RUN_ENV, databaseUrl } from './support/test-env.js';
import { freePort } from './support/net.js';
import { exitCodeOf, spawnApp } from './support/spawn-app.js';
import { ADMIN_TOKEN, deleteRedisKeys, dropTestDatabase, testEnv } from './support/test-app.js';


function run(env: Record<string, string>) {
  const child = spawnApp(env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}


describe('boot', () => {
  it.each(['TOKEN_ENCRYPTION_KEY', 'ADMIN_TOKEN'])('stops with one line naming a missing %s', async (name) => {
    const env = testEnv('unused', 'unused');
    delete env[name];
    const { child, output } = run(env);
    const code = await exitCodeOf(child);
    const lines = output().stderr.trim().split('\n');
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(output().stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with one line naming an invalid TOKEN_ENCRYPTION_KEY', async () => {
    const { child, output } = run(testEnv('unused', 'unused', { TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }));
    const code = await exitCodeOf(child);
    expect(code).toBe(1);
    expect(output().stderr.trim()).toBe('Invalid configuration: TOKEN_ENCRYPTION_KEY must be 32 bytes encoded as base64');
  });

  it('stops with one line naming DATABASE_URL when Postgres cannot be reached, without its password', async () => {
    const closed = await freePort();
    const { child, output } = run(testEnv('unused', 'unused', { DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${closed}/pos` }));
    expect(await exitCodeOf(child)).toBe(1);
    const stderr = output().stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Cannot reach Postgres at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/pos .*check DATABASE_URL$/);
  });

  it('stops with one line naming PORT when the port is taken, before any worker starts', async () => {
    const database = `pos_test_${process.env[RUN_ENV]}_port_${randomBytes(3).toString('hex')}`;
    const blocker = createServer().listen(0);
    await once(blocker, 'listening');
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { child, output } = run(testEnv(database, `test-${database}`, { PORT: String(port), LOG_LEVEL: 'info' }));
      expect(await exitCodeOf(child)).toBe(1);
      expect(output().stderr.trim()).toBe(`PORT ${port} is already in use by another process: stop it or set PORT to a free port`);
      expect(output().stdout).not.toMatch(/Worker|Nest application/);
    } finally {
      blocker.close();
      await dropTestDatabase(database);
    }
  });

  it('creates its database, migrates, serves /health, and exits cleanly on SIGTERM', async () => {
    const database = `pos_test_${process.env[RUN_ENV]}_boot_${randomBytes(3).toString('hex')}`;
    const port = await freePort();
    const { child, output } = run(testEnv(database, `test-${database}`, { PORT: String(port), LOG_LEVEL: 'info' }));
    try {
      // It listens before its worker thread is up; /health says 503 (naming the workers) until then.
      let health: Response | undefined;
      for (let i = 0; i < 150 && health?.status !== 200; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (health?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      // The worker thread runs nicer than the api thread that acknowledges webhooks (Linux: one task per thread).
      const nicenessOf = (stat: string) => Number(readFileSync(stat, 'utf8').split(') ')[1].split(' ')[16]);
      const niceness = readdirSync(`/proc/${child.pid}/task`).map((tid) => nicenessOf(`/proc/${child.pid}/task/${tid}/stat`));
      const main = nicenessOf(`/proc/${child.pid}/stat`);
      expect(niceness.filter((n) => n === Math.min(19, main + WORKER_THREAD_NICENESS))).toHaveLength(1);

      const db = new pg.Client({ connectionString: databaseUrl(database) });
      await db.connect();
      const tables = await db.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('business', 'product', 'stock_movement')");
      await db.end();
      expect(tables.rows[0].n).toBe(3);

      const authed = await fetch(`http://127.0.0.1:${port}/businesses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-request-id': 'req-boot-1' },
        body: JSON.stringify({ name: 'Logged' }),
      });
      expect(authed.status).toBe(201);
      expect(authed.headers.get('x-request-id')).toBe('req-boot-1');

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      // Every line is JSON with a level: structured logs only.
      const lines = output().stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('level');
      const banner = lines.map((line) => JSON.parse(line) as { msg?: string }).find((entry) => entry.msg?.startsWith('POS ecommerce'));
      expect(banner?.msg).toMatch(new RegExp(`^POS ecommerce \\(ROLE=all\\) listening on port ${port} .*API docs at \\S+/docs; database ${database} created, \\d+ migration\\(s\\) applied$`));
      const requestLine = lines.map((line) => JSON.parse(line)).find((entry) => entry.req?.path === '/businesses');
      expect(requestLine).toMatchObject({ req: { id: 'req-boot-1', method: 'POST' }, res: { statusCode: 201 } });
      expect(output().stdout).not.toContain(ADMIN_TOKEN);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await dropTestDatabase(database);
      await deleteRedisKeys(`test-${database}`);
    }
  });
});

