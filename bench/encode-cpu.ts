/**
 * Parquet encode CPU on the same rows (not a test): N sandbox users held in memory, then, each in its own process
 * and repeated, (a) okta-flow's Parquet encoder (cell reading into its column buffers + hyparquet-writer + Snappy)
 * and (b) DuckDB: the same cells appended to an in-memory table (measured apart) and `COPY … (FORMAT parquet,
 * COMPRESSION snappy)` alone. CPU is user + system time of the process over the measured part, all threads (DuckDB
 * encodes on several), so it is the cost, not the wall time, that is compared.
 *
 *   npx tsx bench/encode-cpu.ts [--records 100000] [--repeat 3] [--no-save]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultFields, getObjectDef } from '../lambdas/okta/catalog/index.js';
import type { OktaRecord } from '../lambdas/okta/types.js';
import { columnsFromFields } from '../lambdas/output/columns.js';
import { createParquetEncoder } from '../lambdas/output/encoders/parquet.js';
import { createClock } from '../sandbox/clock.js';
import { createOrg, DEFAULT_EPOCH_MS } from '../sandbox/org/index.js';
import { createDuckDbParquetSink } from './lib/duckdb-parquet.js';
import { markdownTable } from './lib/markdown-table.js';
import { machineInfo, writeResult } from './lib/results.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '3' },
    worker: { type: 'string' },
    'no-save': { type: 'boolean', default: false },
  },
});
const records = Number(values.records);
const columns = columnsFromFields(defaultFields(getObjectDef('User')));

interface Measured {
  readonly task: string;
  readonly cpuMs: number;
  readonly wallMs: number;
  /** DuckDB only: CPU of appending the cells (not part of cpuMs). */
  readonly appendCpuMs?: number;
  readonly bytes: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function measure(task: string): Promise<Measured> {
  const org = createOrg({ seed: 42, users: records }, createClock(DEFAULT_EPOCH_MS, { running: false }));
  const users: OktaRecord[] = [...org.all('users')] as OktaRecord[];
  const pages: OktaRecord[][] = [];
  for (let i = 0; i < users.length; i += 200) pages.push(users.slice(i, i + 200));
  if (task === 'okta-flow') {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const encoder = createParquetEncoder(columns, { compression: 'snappy' });
    let bytes = 0;
    for (const page of pages) for (const chunk of encoder.encode(page)) bytes += chunk.length;
    for (const chunk of encoder.finish()) bytes += chunk.length;
    return { task, cpuMs: cpuMs(cpu), wallMs: performance.now() - wall, bytes };
  }
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-encode-cpu-'));
  try {
    const appendCpu = process.cpuUsage();
    const sink = await createDuckDbParquetSink(columns);
    for (const page of pages) sink.append(page);
    const appendCpuMs = cpuMs(appendCpu);
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const file = join(dir, 'users.parquet');
    await sink.finish(file);
    return { task, cpuMs: cpuMs(cpu), wallMs: performance.now() - wall, appendCpuMs, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function child(task: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--worker', task, '--records', String(records)];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) reject(new Error(`${task} exited ${code}: ${out.slice(-300)}`));
      else resolve(JSON.parse(line.slice(7)) as Measured);
    });
  });
}

if (values.worker !== undefined) {
  process.stdout.write(`RESULT ${JSON.stringify(await measure(values.worker))}\n`);
} else {
  const tasks = ['okta-flow', 'duckdb'];
  const runs: Measured[] = [];
  for (let r = 0; r < Number(values.repeat); r++) for (const t of tasks) runs.push(await child(t));
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return [s[0], s[Math.floor(s.length / 2)], s.at(-1)]
      .map((x) => Math.round(x ?? 0).toLocaleString('en-US'))
      .join(' / ');
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const of = (t: string) => runs.filter((r) => r.task === t);
  const ours = median(of('okta-flow').map((r) => r.cpuMs));
  const copy = median(of('duckdb').map((r) => r.cpuMs));
  const append = median(of('duckdb').map((r) => r.appendCpuMs ?? 0));
  const table = markdownTable(
    ['encoder', 'CPU ms (min / median / max)', 'wall ms (min / median / max)', 'output MiB'],
    [
      [
        'okta-flow (column buffers + hyparquet-writer, Snappy)',
        spread(of('okta-flow').map((r) => r.cpuMs)),
        spread(of('okta-flow').map((r) => r.wallMs)),
        ((of('okta-flow')[0]?.bytes ?? 0) / 2 ** 20).toFixed(1),
      ],
      [
        'DuckDB COPY alone (Snappy)',
        spread(of('duckdb').map((r) => r.cpuMs)),
        spread(of('duckdb').map((r) => r.wallMs)),
        ((of('duckdb')[0]?.bytes ?? 0) / 2 ** 20).toFixed(1),
      ],
      ['DuckDB appender (cells in, before COPY)', spread(of('duckdb').map((r) => r.appendCpuMs ?? 0)), '', ''],
    ],
  );
  const summary = `okta-flow / DuckDB COPY alone: ${(ours / copy).toFixed(1)}× the CPU (target ≤ 2×); okta-flow / (appender + COPY): ${(ours / (append + copy)).toFixed(2)}×`;
  console.log(
    `## Parquet encode CPU, the same ${records.toLocaleString('en-US')} sandbox users, ${values.repeat} runs each\n\n${table}\n\n${summary}`,
  );
  if (!values['no-save'])
    console.log(`\nresult: ${writeResult('encode-cpu', { machine: machineInfo(), records, runs })}`);
}
