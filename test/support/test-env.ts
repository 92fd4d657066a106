/** Names shared with the global setup (which sets the two variables) and the test files of one run. */
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_ENV = 'POS_TEST_TEMPLATE_DB';
export const RUN_ENV = 'POS_TEST_RUN_ID';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
