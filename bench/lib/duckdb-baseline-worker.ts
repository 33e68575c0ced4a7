/**
 * The hand-written baseline of the end-to-end bench, in its own process (not a test, not a product path): plain
 * `fetch` of every users page following Link headers, one request at a time, each page's records appended to an
 * in-memory DuckDB table (the same catalog columns and cell readers okta-flow writes), then one
 * `COPY … TO '<out>/users.parquet' (FORMAT parquet, COMPRESSION snappy)`. No state, no manifest, no retries: the
 * least a pipeline from this sandbox to one Parquet file can do.
 *
 *   node --import tsx bench/lib/duckdb-baseline-worker.ts --base-url URL --token T --out DIR
 *
 * Prints `RESULT {json}` (records, pages, bytes, ms, hwmKiB).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultFields, getObjectDef } from '../../lambdas/okta/catalog/index.js';
import type { OktaRecord } from '../../lambdas/okta/types.js';
import { columnsFromFields } from '../../lambdas/output/columns.js';
import { createDuckDbParquetSink } from './duckdb-parquet.js';
import { nextLink } from './link-pages.js';
import { readProcMemory } from './rss.js';

const { values } = parseArgs({
  options: { 'base-url': { type: 'string' }, token: { type: 'string' }, out: { type: 'string' } },
});
const baseUrl = values['base-url'];
const token = values.token;
const out = values.out;
if (baseUrl === undefined || token === undefined || out === undefined) throw new Error('--base-url --token --out');

const columns = columnsFromFields(defaultFields(getObjectDef('User')));
const startRssKiB = readProcMemory(process.pid).rssKiB;
const started = performance.now();
const sink = await createDuckDbParquetSink(columns);
const headers = { Authorization: `SSWS ${token}`, Accept: 'application/json' };
let next: string | null = `${baseUrl}/api/v1/users?limit=200&search=status%20pr`; // every status, as a full run reads
let pages = 0;
while (next !== null) {
  const response: Response = await fetch(next, { headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${next} → ${response.status}: ${text.slice(0, 300)}`);
  sink.append(JSON.parse(text) as OktaRecord[]);
  pages++;
  next = nextLink(response.headers.get('link'));
}
const file = join(out, 'users.parquet');
const records = await sink.finish(file);
const result = {
  records,
  pages,
  bytes: statSync(file).size,
  ms: performance.now() - started,
  startRssKiB,
  hwmKiB: readProcMemory(process.pid).hwmKiB,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
