import pg from 'pg';

/** Creates the database named in `databaseUrl` when it does not exist yet (what `npm start` promises); true when it did. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    return await client.query(`CREATE DATABASE ${quoteIdent(name)}`).then(
      () => true,
      (error: { code?: string }) => {
        // Another replica created it between our check and our CREATE.
        if (error.code !== '42P04') throw error;
        return false;
      },
    );
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
