import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, which .ci/run does when it is missing), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`No chromium found (looked at ${candidates.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * Where the console tests save their screenshots: docs/console/ when SAVE_CONSOLE_SCREENSHOTS=1 (to refresh the
 * ones the README shows), else a scratch folder, so a test run leaves the work tree as it was.
 */
export function screenshotDir(): string {
  const dir = process.env.SAVE_CONSOLE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'console') : join(tmpdir(), 'pos-console-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
