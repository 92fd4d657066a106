import {
  buildClientSchema,
  NoDeprecatedCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * Shopify's own Admin GraphQL schema, from the introspection that `@shopify/dev-mcp` ships per API version
 * (`dist/data/admin_<version>.json.gz`). The emulator validates every document against it, so a field, an
 * argument or a variable that real Shopify would refuse fails our tests too.
 */
const cache = new Map<string, GraphQLSchema>();

/** Finds an installed package's folder by walking up from this file (the emulator runs from src and from dist). */
export function packageDir(name: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`Package ${name} is not installed (run npm ci)`);
  }
}

const dataDir = () => join(packageDir('@shopify/dev-mcp'), 'dist', 'data');

/** The Admin API versions whose schema is available, oldest first. */
export function adminSchemaVersions(): string[] {
  return readdirSync(dataDir())
    .map((file) => /^admin_(\d{4}-\d{2})\.json\.gz$/.exec(file)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort();
}

export function adminSchema(version: string): GraphQLSchema {
  const known = cache.get(version);
  if (known) return known;
  const file = join(dataDir(), `admin_${version}.json.gz`);
  if (!existsSync(file)) {
    throw new Error(`No Shopify Admin schema for API version ${version}; available: ${adminSchemaVersions().join(', ')}`);
  }
  const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data?: IntrospectionQuery } & IntrospectionQuery;
  const schema = buildClientSchema(parsed.data ?? parsed, { assumeValid: true });
  cache.set(version, schema);
  return schema;
}

/** graphql-js validation plus a refusal of deprecated fields, arguments, input fields and enum values. */
export function validateAgainstShopify(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  return validate(schema, document, [...specifiedRules, NoDeprecatedCustomRule]);
}
