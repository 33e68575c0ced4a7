/**
 * Extracts, from Okta's published OpenAPI specs, the operations okta-flow uses plus every component they reference
 * (transitively, discriminator mappings included) into `test/contract/fixtures/okta-openapi-subset.json`.
 *
 *   npx tsx scripts/extract-openapi-subset.ts [--spec-dir ../shared/okta-openapi] [--out <file>] [--check]
 *
 * The two specs stay two documents inside the fixture (`management`, `oauth`): they define same-named components
 * differently (`Error`, `JsonWebKey`, `TokenResponse`, …), so merging would need renames. Examples, descriptions and
 * documentation-only extensions are dropped (some examples embed `$ref`s that break dereferencing, see the specs'
 * README); everything that constrains a value is kept verbatim. Output keys are sorted and the generation date is
 * kept from the previous fixture when nothing else changed, so re-running yields no diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { extractSubset, type SpecSource } from './openapi-subset/extract.js';
import { stableStringify } from './openapi-subset/stable-stringify.js';
import { WANTED_OPERATIONS } from './openapi-subset/wanted-operations.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    'spec-dir': { type: 'string', default: resolve(repoRoot, '../shared/okta-openapi') },
    out: { type: 'string', default: join(repoRoot, 'test/contract/fixtures/okta-openapi-subset.json') },
    check: { type: 'boolean', default: false },
  },
});
const specDir = resolve(values['spec-dir']);
const outFile = resolve(values.out);

function loadSpec(file: string): Record<string, unknown> {
  const path = join(specDir, file);
  if (!existsSync(path)) {
    throw new Error(`Okta OpenAPI spec not found at ${path}; pass --spec-dir <folder holding ${file}>`);
  }
  const doc: unknown = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${path} is not a YAML mapping`);
  return doc as Record<string, unknown>;
}

const sources: SpecSource[] = [
  { key: 'management', file: 'management-minimal.yaml', doc: loadSpec('management-minimal.yaml') },
  { key: 'oauth', file: 'oauth-minimal.yaml', doc: loadSpec('oauth-minimal.yaml') },
];

const previous = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as Record<string, unknown>) : null;
const previousDate = readGeneratedOn(previous);
const today = new Date().toISOString().slice(0, 10);

const build = (generatedOn: string) => extractSubset(sources, WANTED_OPERATIONS, generatedOn);
// Keep the old date when only the date would change: regeneration is then a no-op in git.
let fixture = build(previousDate ?? today);
if (previous !== null && stableStringify(previous) !== stableStringify(fixture)) fixture = build(today);
const text = stableStringify(fixture, 2);

if (values.check) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(`${outFile} is out of date: run npx tsx scripts/extract-openapi-subset.ts`);
    process.exit(1);
  }
  console.log(`${outFile} is up to date`);
} else {
  writeFileSync(outFile, text);
  const counts = sources.map((s) => {
    const doc = fixture[s.key] as { paths: object; components: { schemas?: object } };
    return `${s.key}: ${Object.keys(doc.paths).length} paths, ${Object.keys(doc.components.schemas ?? {}).length} schemas`;
  });
  console.log(`wrote ${outFile} (${text.length} bytes; ${counts.join('; ')})`);
}

function readGeneratedOn(doc: Record<string, unknown> | null): string | undefined {
  const provenance = doc?.['x-provenance'];
  if (typeof provenance !== 'object' || provenance === null) return undefined;
  const generatedOn = (provenance as Record<string, unknown>).generatedOn;
  return typeof generatedOn === 'string' ? generatedOn : undefined;
}
