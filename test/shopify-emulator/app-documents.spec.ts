import { parse } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { adminSchema, validateAgainstShopify } from './admin-schema.js';

/** Every GraphQL document the app can send, as written in src/ (each is tagged with a GraphQL comment). */
function appDocuments(): Array<{ where: string; text: string }> {
  const root = join(process.cwd(), 'src');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
  const found: Array<{ where: string; text: string }> = [];
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    // Documents interpolate constants of their own file (page sizes, shared selections): substitute them.
    const constants = new Map([...source.matchAll(/const (\w+) = (?:'([^']*)'|(\d+));/g)].map((m) => [m[1], m[2] ?? m[3]]));
    const resolve = (text: string) =>
      text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
        const value = constants.get(name);
        if (value === undefined) throw new Error(`${file}: cannot resolve \${${name}} in a GraphQL document`);
        return value;
      });
    // A shared fragment is a tagged constant of its own: documents interpolate it.
    for (const match of source.matchAll(/const (\w+) = \/\* GraphQL \*\/ `([^`]*)`/g)) constants.set(match[1], resolve(match[2]));
    for (const match of source.matchAll(/\/\* GraphQL \*\/ `([^`]*)`/g)) {
      const text = resolve(match[1]);
      // A fragment alone is checked where a document spreads it.
      if (/^\s*fragment\s/.test(text)) continue;
      found.push({ where: relative(process.cwd(), join(root, file)), text });
    }
  }
  return found;
}

const documents = appDocuments();

describe("the app's GraphQL documents against Shopify's published Admin schema", () => {
  it('finds the documents to check', () => {
    expect(documents.length).toBeGreaterThanOrEqual(10);
  });

  for (const version of ['2026-10', '2026-07']) {
    it(`validates every document against ${version}, with no deprecated field, argument or value`, () => {
      const schema = adminSchema(version);
      const problems = documents.flatMap(({ where, text }) =>
        validateAgainstShopify(schema, parse(text)).map((error) => `${where}: ${error.message}`),
      );
      expect(problems).toEqual([]);
    });
  }

  it('refuses a deprecated argument, an unknown field and a wrong variable type', () => {
    const schema = adminSchema('2026-10');
    const check = (text: string) => validateAgainstShopify(schema, parse(text)).map((e) => e.message);
    expect(check('mutation { collectionCreate(input: { title: "x" }) { collection { id } } }').join()).toMatch(/deprecated/);
    expect(check('{ shop { noSuchField } }').join()).toMatch(/noSuchField/);
    expect(check('query Q($n: String) { locations(first: $n) { nodes { id } } }').join()).toMatch(/String.*Int/);
  });
});
