import express, { type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_PATH = '/console';

/** The console's files (console/ at the top of the project), found from here whether this runs from src or dist. */
export function consoleDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'console', 'index.html'))) return join(dir, 'console');
    if (dirname(dir) === dir) throw new Error('The support console files (console/index.html) are missing');
  }
}

/**
 * The support console: static files only, no secret in them; every call they make is to the documented API with
 * the key the person typed in. The content security policy lets the page load nothing but its own files, so text
 * from a shop or a payload could not run as script even if it were ever written into the page as markup.
 */
export function consoleHandler(): RequestHandler {
  const files = express.static(consoleDir(), { index: 'index.html', fallthrough: false, maxAge: 0 });
  return (req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    files(req, res, next);
  };
}
