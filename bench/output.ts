/**
 * Output benchmark (not a test): encode + upload of N sandbox users per format to a loopback S3 (s3rver), plus the
 * Parquet library comparison behind docs/parquet-library-choice.md.
 *
 *   npx tsx bench/output.ts [--records 100000] [--section all|libs|sinks|memory] [--lib-records 50000] [--libs hyparquet-writer,duckdb] [--repeat 3] [--no-save]
 *
 * Every measurement runs in its own child process so its peak RSS (VmHWM) is its own; s3rver runs in this parent.
 * Records come lazily from the deterministic sandbox org (`createOrg(...).all('users')`) in pages of 200, so the
 * generator holds no more than a page; a "generate only" run gives the baseline subtracted for encode throughput.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { defaultFields, getObjectDef } from '../lambdas/okta/catalog/index.js';
import type { OktaRecord } from '../lambdas/okta/types.js';
import {
  type Cell,
  type ColumnSpec,
  columnsFromFields,
  isScalar,
  rawValueAt,
  toCell,
} from '../lambdas/output/columns.js';
import { createParquetEncoder } from '../lambdas/output/encoders/parquet.js';
import type { Compression, OutputFormat } from '../lambdas/output/encoders/types.js';
import { createOutputWriter } from '../lambdas/output/writer.js';
import { createClock } from '../sandbox/clock.js';
import { createOrg, DEFAULT_EPOCH_MS } from '../sandbox/org/index.js';
import { startS3 } from '../test/integration/output/s3-harness.js';
import { markdownTable } from './lib/markdown-table.js';
import { writeResult } from './lib/results.js';
import { mib, readProcMemory } from './lib/rss.js';
import { REPO_ROOT } from './lib/sandbox-process.js';

const PAGE = 200;
/** Distinct users held for the library comparison (~25 MB of records). */
const LIB_POOL = 20_000;
const MiB = 1024 * 1024;
const columns: readonly ColumnSpec[] = columnsFromFields(defaultFields(getObjectDef('User')));

interface WorkerResult {
  readonly task: string;
  readonly records: number;
  readonly ms: number;
  /** CPU time (user + system, all threads) of the measured part: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly bytes: number;
  readonly files: number;
  readonly hwmKiB: number;
}

function* userPages(count: number): Generator<OktaRecord[]> {
  const org = createOrg({ seed: 42, users: count }, createClock(DEFAULT_EPOCH_MS, { running: false }));
  let page: OktaRecord[] = [];
  for (const user of org.all('users')) {
    page.push(user);
    if (page.length === PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

// ---------- child-process tasks ----------

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function runTask(task: string, records: number, endpoint: string | undefined): Promise<WorkerResult> {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  let bytes = 0;
  let files = 0;
  const [kind, a, b] = task.split(':');
  if (kind === 'gen') {
    // Baseline: generating the sandbox users and normalizing every cell, nothing encoded.
    let n = 0;
    for (const page of userPages(records))
      for (const r of page) for (const c of columns) if (toCell(c, rawValueAt(r, c.path)) !== undefined) n++;
    bytes = n;
  } else if (kind === 'lib') {
    // Encode-only: users are generated up front (untimed) so the sandbox generator's cost does not blur the
    // comparison; the timed loop cycles through them.
    const pool = [...userPages(Math.min(records, LIB_POOL))];
    const timed = performance.now();
    const cpu = process.cpuUsage();
    bytes = await encodeWithLibrary(a ?? '', records, pool);
    return {
      task,
      records,
      ms: performance.now() - timed,
      cpuMs: cpuMsSince(cpu),
      bytes,
      files: 1,
      hwmKiB: readProcMemory(process.pid).hwmKiB,
    };
  } else if (kind === 'sink') {
    const format = a as OutputFormat;
    const compression = (b || undefined) as Compression | undefined;
    const partSizeBytes = Number(process.env.BENCH_PART_MIB ?? '8') * MiB;
    const queueSize = Number(process.env.BENCH_QUEUE ?? '4');
    const single = process.env.BENCH_SINGLE_OBJECT === '1';
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const writer = createOutputWriter({
      target: {
        kind: 's3',
        client,
        bucket: 'okta-flow-test',
        sseKms: { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/bench' },
        partSizeBytes,
        queueSize,
      },
      keyPrefix: `bench/User/dt=2026-01-01/run_id=${task.replaceAll(':', '-')}-${records}`,
      format,
      compression,
      columns,
      targetFileBytes: single ? 64 * 1024 * MiB : undefined,
      parquet: process.env.BENCH_ROW_GROUP_MIB
        ? { rowGroupBytes: Number(process.env.BENCH_ROW_GROUP_MIB) * MiB }
        : undefined,
    });
    for (const page of userPages(records)) await writer.write(page);
    const out = await writer.close();
    bytes = out.files.reduce((n, f) => n + f.bytes, 0);
    files = out.files.length;
    client.destroy();
  } else {
    throw new Error(`unknown task ${task}`);
  }
  return {
    task,
    records,
    ms: performance.now() - started,
    cpuMs: cpuMsSince(startedCpu),
    bytes,
    files,
    hwmKiB: readProcMemory(process.pid).hwmKiB,
  };
}

/** Byte counter that keeps the last bytes (the footer) so the file's row count can be checked. */
class CountingSink extends Writable {
  bytes = 0;
  tail = Buffer.alloc(0);
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-4 * MiB);
    done();
  }
}

async function checkRowCount(sink: CountingSink, expected: number): Promise<void> {
  const { parquetMetadataAsync } = await import('hyparquet');
  const offset = sink.bytes - sink.tail.length;
  const file = {
    byteLength: sink.bytes,
    slice: (start: number, end?: number) => {
      const s = sink.tail.subarray(start - offset, (end ?? sink.bytes) - offset);
      return s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer;
    },
  };
  const meta = await parquetMetadataAsync(file);
  if (Number(meta.num_rows) !== expected) throw new Error(`wrote ${meta.num_rows} rows, expected ${expected}`);
}

function cellsOf(page: readonly OktaRecord[]): Cell[][] {
  return columns.map((c) => page.map((r) => toCell(c, rawValueAt(r, c.path))));
}

function* cycle(pool: readonly OktaRecord[][], records: number): Generator<OktaRecord[]> {
  let left = records;
  while (left > 0) {
    for (const page of pool) {
      if (left <= 0) return;
      const take = page.length <= left ? page : page.slice(0, left);
      left -= take.length;
      yield take;
    }
  }
}

async function encodeWithLibrary(library: string, records: number, pool: readonly OktaRecord[][]): Promise<number> {
  const userPages = (n: number) => cycle(pool, n);
  const sink = new CountingSink();
  const ROW_GROUP_ROWS = 50_000;
  if (library === 'hyparquet-writer') {
    const encoder = createParquetEncoder(columns, { compression: 'snappy', rowGroupRows: ROW_GROUP_ROWS });
    for (const page of userPages(records)) for (const chunk of encoder.encode(page)) sink.write(chunk);
    for (const chunk of encoder.finish()) sink.write(chunk);
  } else if (library === '@dsnp/parquetjs') {
    const parquet = await import('@dsnp/parquetjs');
    const typeOf = {
      string: 'UTF8',
      json: 'UTF8',
      int64: 'INT64',
      double: 'DOUBLE',
      boolean: 'BOOLEAN',
      timestamp: 'TIMESTAMP_MILLIS',
    } as const;
    const schema = new parquet.ParquetSchema(
      Object.fromEntries(
        columns.map((c) => [
          c.name,
          { type: typeOf[isScalar(c.type) ? c.type : 'json'], optional: true, compression: 'SNAPPY' as const },
        ]),
      ),
    );
    const writer = await parquet.ParquetWriter.openStream(
      schema,
      sink as unknown as Parameters<typeof parquet.ParquetWriter.openStream>[1],
    );
    writer.setRowGroupSize(ROW_GROUP_ROWS);
    for (const page of userPages(records)) {
      const cells = cellsOf(page);
      for (let i = 0; i < page.length; i++) {
        const row: Record<string, unknown> = {};
        columns.forEach((c, j) => {
          const v = cells[j]?.[i];
          if (v !== null && v !== undefined) row[c.name] = c.type === 'timestamp' ? new Date(v as number) : v;
        });
        await writer.appendRow(row);
      }
    }
    await writer.close();
  } else if (library === 'parquet-wasm') {
    const arrow = await import('apache-arrow');
    const wasm = await import('parquet-wasm');
    const typeOf = (c: ColumnSpec) => {
      switch (c.type) {
        case 'int64':
          return new arrow.Int64();
        case 'double':
          return new arrow.Float64();
        case 'boolean':
          return new arrow.Bool();
        case 'timestamp':
          return new arrow.Timestamp(arrow.TimeUnit.MILLISECOND, 'UTC');
        default:
          return new arrow.Utf8();
      }
    };
    const pages = userPages(records);
    const batchOf = (): unknown[] | null => {
      // 10 pages per Arrow batch: Arrow wants columnar batches, not single records.
      const rows: OktaRecord[] = [];
      for (let i = 0; i < 10; i++) {
        const next = pages.next();
        if (next.done) break;
        rows.push(...next.value);
      }
      if (rows.length === 0) return null;
      const cells = cellsOf(rows);
      const table = new arrow.Table(
        Object.fromEntries(columns.map((c, j) => [c.name, arrow.vectorFromArray(cells[j] ?? [], typeOf(c))])),
      );
      return wasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')).recordBatches();
    };
    const input = new ReadableStream({
      pull(controller) {
        const batches = batchOf();
        if (batches === null) controller.close();
        else for (const batch of batches) controller.enqueue(batch);
      },
    });
    const props = new wasm.WriterPropertiesBuilder()
      .setCompression(wasm.Compression.SNAPPY)
      .setMaxRowGroupSize(ROW_GROUP_ROWS)
      .build();
    const output = await wasm.transformParquetStream(input, props);
    const reader = output.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sink.write(value as Uint8Array);
    }
  } else if (library === 'duckdb') {
    const { createDuckDbParquetSink } = await import('./lib/duckdb-parquet.js');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const duck = await createDuckDbParquetSink(columns);
    for (const page of userPages(records)) duck.append(page);
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-bench-duckdb-'));
    try {
      const file = join(dir, 'users.parquet');
      await duck.finish(file);
      sink.write(readFileSync(file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    throw new Error(`unknown library ${library}`);
  }
  await checkRowCount(sink, records);
  return sink.bytes;
}

// ---------- parent ----------

function runChild(
  task: string,
  records: number,
  endpoint: string | undefined,
  env: Record<string, string> = {},
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--worker', task, '--records', String(records)];
    if (endpoint) args.push('--endpoint', endpoint);
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${task} exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice(7)) as WorkerResult);
    });
  });
}

async function bundleBytes(source: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    loader: { '.wasm': 'file' },
    outdir: '/tmp/okta-flow-bench-bundle',
    external: ['@aws-sdk/client-s3', '@duckdb/node-bindings*'],
  });
  return result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const records = Number(arg('records') ?? '100000');
  const worker = arg('worker');
  if (worker) {
    const result = await runTask(worker, records, arg('endpoint'));
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const section = arg('section') ?? 'all';
  const report: Record<string, unknown> = { records, columns: columns.length };
  const md: string[] = [
    `# Output benchmark — ${records.toLocaleString('en-US')} sandbox users, ${columns.length} columns\n`,
  ];

  const gen = await runChild('gen', records, undefined);
  report.generateOnly = gen;
  md.push(
    `Generating + normalizing the users alone: ${round(gen.ms / 1000, 2)} s wall, ${round(gen.cpuMs / 1000, 2)} s CPU ` +
      '(subtracted from the sink runs\' CPU time for "encode+upload records per CPU-second"; the writer\'s CPU time ' +
      'includes the S3 client, not s3rver, which runs in the parent).\n',
  );
  const encodeRate = (r: WorkerResult) =>
    r.cpuMs > gen.cpuMs * 1.02 ? Math.round(r.records / ((r.cpuMs - gen.cpuMs) / 1000)) : 'n/a';

  if (section === 'all' || section === 'libs') {
    const libs = (arg('libs') ?? 'hyparquet-writer,@dsnp/parquetjs,parquet-wasm,duckdb').split(',');
    const libRecords = Number(arg('lib-records') ?? String(Math.min(records, 50_000)));
    const repeat = Number(arg('repeat') ?? '3');
    const bundleSizes: Record<string, unknown> = {};
    const bundles: Record<string, string> = {
      'hyparquet-writer': `import { ParquetWriter, ByteWriter } from 'hyparquet-writer'; console.log(ParquetWriter, ByteWriter);`,
      '@dsnp/parquetjs': `import { ParquetWriter, ParquetSchema } from '@dsnp/parquetjs'; console.log(ParquetWriter, ParquetSchema);`,
      duckdb: `import { DuckDBInstance } from '@duckdb/node-api'; console.log(DuckDBInstance);`,
      'parquet-wasm': `import { transformParquetStream, Table } from 'parquet-wasm'; import { tableToIPC, vectorFromArray } from 'apache-arrow'; console.log(transformParquetStream, Table, tableToIPC, vectorFromArray);`,
    };
    const rows: (string | number)[][] = [];
    const results: Record<string, WorkerResult[]> = Object.fromEntries(libs.map((l) => [l, []]));
    // Interleaved repetitions, median reported: the shared machine's load swings more than the differences.
    for (let rep = 0; rep < repeat; rep++) {
      for (const lib of libs) results[lib]?.push(await runChild(`lib:${lib}`, libRecords, undefined));
    }
    for (const lib of libs) {
      const runs = results[lib] ?? [];
      const rates = runs.map((r) => r.records / (r.ms / 1000)).sort((x, y) => x - y);
      const cpuRates = runs.map((r) => r.records / (r.cpuMs / 1000)).sort((x, y) => x - y);
      const median = rates[Math.floor(rates.length / 2)] ?? 0;
      const bundle = await bundleBytes(bundles[lib] ?? '');
      // parquet-wasm loads its .wasm from disk at run time: it ships beside the bundle.
      // DuckDB loads a native library (linux-x64 here; the arm64 one for Lambda is of the same order).
      const native = ['duckdb.node', 'libduckdb.so'].map((f) => `node_modules/@duckdb/node-bindings-linux-x64/${f}`);
      const wasm =
        lib === 'parquet-wasm'
          ? statSync(join(REPO_ROOT, 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm')).size
          : lib === 'duckdb'
            ? native.reduce((n, f) => n + statSync(join(REPO_ROOT, f)).size, 0)
            : 0;
      bundleSizes[lib] = { bundleBytes: bundle, wasmBytes: wasm };
      rows.push([
        lib,
        Math.round(cpuRates[Math.floor(cpuRates.length / 2)] ?? 0),
        Math.round(median),
        rates.map((x) => Math.round(x)).join(' / '),
        round((runs[0]?.bytes ?? 0) / MiB, 1),
        round(bundle / 1024, 0),
        round(wasm / 1024, 0),
        mib(Math.max(...runs.map((r) => r.hwmKiB))),
      ]);
    }
    report.libraries = { runs: results, bundles: bundleSizes };
    md.push(
      `## Parquet libraries: encode only, ${libRecords.toLocaleString('en-US')} records × ${repeat} runs (Snappy, 50k-row groups, ${LIB_POOL.toLocaleString('en-US')} distinct users cycled, no upload)\n`,
    );
    md.push(
      markdownTable(
        [
          'library',
          'median records per CPU-second',
          'median records/s (wall)',
          'all runs records/s',
          'output MiB',
          'bundle KiB (min, esm, node)',
          '+ .wasm / native KiB',
          'peak RSS MiB',
        ],
        rows,
      ),
      '',
    );
  }

  if (section === 'all' || section === 'sinks' || section === 'memory') {
    const s3 = await startS3();
    const endpoint = await (s3.client.config.endpoint?.() ?? Promise.resolve(undefined));
    const url = endpoint ? `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}` : '';
    try {
      if (section !== 'memory') {
        const rows: (string | number)[][] = [];
        const results: Record<string, unknown> = {};
        for (const task of [
          'sink:parquet',
          'sink:parquet:gzip',
          'sink:csv',
          'sink:csv:gzip',
          'sink:jsonl',
          'sink:jsonl:gzip',
        ]) {
          const r = await runChild(task, records, url);
          results[task] = r;
          const seconds = r.ms / 1000;
          rows.push([
            task.replace('sink:', ''),
            round(seconds, 2),
            Math.round(r.records / seconds),
            encodeRate(r),
            round(r.bytes / MiB / seconds, 1),
            round(r.bytes / MiB, 1),
            r.files,
            mib(r.hwmKiB),
          ]);
        }
        report.sinks = results;
        md.push('## Encode + upload to s3rver (part 8 MiB × queue 4, files roll at 128 MiB)\n');
        md.push(
          markdownTable(
            [
              'format',
              'total s',
              'records/s end-to-end',
              'encode+upload records per CPU-second',
              'MB/s out',
              'output MiB',
              'files',
              'peak RSS MiB',
            ],
            rows,
          ),
          '',
        );
      }
      if (section === 'all' || section === 'memory') {
        // One single object per run: does peak RSS grow with the object? It must not (bounded by part × queue).
        const rows: (string | number)[][] = [];
        const results: Record<string, unknown> = {};
        // Peak RSS of generating the same users without writing: the sandbox generator's own share.
        const baseline: Record<number, number> = {};
        for (const [part, queue] of [
          ['8', '4'],
          ['16', '4'],
          ['8', '2'],
        ] as const) {
          for (const n of [Math.round(records / 4), records]) {
            const r = await runChild('sink:csv', n, url, {
              BENCH_PART_MIB: part,
              BENCH_QUEUE: queue,
              BENCH_SINGLE_OBJECT: '1',
            });
            results[`csv part=${part} queue=${queue} n=${n}`] = r;
            baseline[n] ??= (await runChild('gen', n, undefined)).hwmKiB;
            const base = baseline[n] ?? 0;
            rows.push([
              `${part} MiB × ${queue}`,
              n,
              round(r.bytes / MiB, 1),
              r.files,
              mib(base),
              mib(r.hwmKiB),
              mib(r.hwmKiB - base),
            ]);
          }
        }
        report.memory = { runs: results, generateOnlyHwmKiB: baseline };
        md.push('## Peak memory vs object size (CSV, one object per run)\n');
        md.push(
          markdownTable(
            [
              'part × queue',
              'records',
              'object MiB',
              'files',
              'generate-only peak RSS MiB',
              'peak RSS MiB',
              'writer share MiB',
            ],
            rows,
          ),
          '',
        );
      }
    } finally {
      await s3.close();
    }
  }
  const text = md.join('\n');
  process.stdout.write(`${text}\n`);
  if (!process.argv.includes('--no-save')) {
    process.stdout.write(`saved ${writeResult('output', { ...report, markdown: text })}\n`);
  }
}

await main();
