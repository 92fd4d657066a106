import dotenv from 'dotenv';
import { existsSync } from 'node:fs';

/**
 * Reads `.env` when present. Outside production, a fresh clone without one falls back to `.env.example`
 * (development values), so that `npm ci && npm start` runs as the README promises; it says so loudly.
 * Variables already set in the environment always win.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): void {
  if (existsSync('.env')) {
    dotenv.config({ path: '.env', quiet: true });
  } else if (env.NODE_ENV !== 'production' && existsSync('.env.example')) {
    process.stderr.write('No .env file: using the development values of .env.example (never do this in production)\n');
    dotenv.config({ path: '.env.example', quiet: true });
  }
}
