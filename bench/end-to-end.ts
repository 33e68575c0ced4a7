/**
 * End-to-end benchmark (not a test): a whole `okta-flow run` (plan → extract → Parquet → commit) of every user of a
 * sandbox org, next to extraction alone, with and without a rate limit.
 *
 *   npx tsx bench/end-to-end.ts [--users 100000[,1000000]] [--format parquet] [--cap-seconds 900]
 *     [--baseline-from bench/results/extract-….json] [--rate-limited-users 60000] [--rate-limit 600] [--share 0.5]
 *     [--rate-limited-cap-seconds 240] [--seed 42] [--encoder thread[,worker]] [--no-save]
 *
 * Per size: the sandbox runs as its own process (rate limits off); each run is its own process
 * (bench/lib/end-to-end-worker.ts: `localRunnerDeps` + `runFlow`, the CLI's path, into a temporary folder), once
 * sequential (`users-full`) and once sliced (`users-full-sliced`). Extraction alone is measured the same way by
 * bench/extract-worker.ts (or read from an extract result with --baseline-from), and the ratio checks issue 4's
 * target: writing Parquet costs at most 20% of extraction throughput. Then a rate-limited run on a smaller org
 * (users bucket `--rate-limit`/min, okta-flow at `--share`): requests/min achieved vs allowed, 429s.
 * `--encoder thread,worker` runs every okta-flow row both ways, back to back under the same load: Parquet encoded
 * in the fetching thread (the default) and in the encoder worker thread (OKTA_FLOW_PARQUET_WORKER=1); worker rows
 * are labelled `… [worker]`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LAMBDA_HEAP_LIMIT_BYTES } from '../lambdas/output/memory-budget.js';
import type { EndToEndResult } from './lib/end-to-end-worker.js';
import type { ExtractReport, WorkerResult } from './lib/extract-variants.js';
import { walkPages } from './lib/link-pages.js';
import { type EndToEndReport, type EndToEndRow, renderEndToEnd } from './lib/render-end-to-end.js';
import { machineInfo, writeResult } from './lib/results.js';
import { mib, readProcMemory } from './lib/rss.js';
import { type SandboxProcess, startSandboxProcess } from './lib/sandbox-process.js';
import { runWorker } from './lib/worker-process.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    format: { type: 'string', default: 'parquet' },
    'cap-seconds': { type: 'string', default: '900' },
    'baseline-from': { type: 'string' },
    'rate-limited-users': { type: 'string', default: '60000' },
    'rate-limit': { type: 'string', default: '600' },
    share: { type: 'string', default: '0.5' },
    'rate-limited-cap-seconds': { type: 'string', default: '240' },
    seed: { type: 'string', default: '42' },
    // V8 heap ceiling of every worker: the ExtractStep Lambda's own (heapLimitMiB(1024) = 768); 0 = Node's default.
    'heap-cap-mib': { type: 'string', default: String(LAMBDA_HEAP_LIMIT_BYTES / 2 ** 20) },
    repeat: { type: 'string', default: '1' },
    encoder: { type: 'string', default: 'thread' },
    'no-baseline': { type: 'boolean', default: false },
    'no-save': { type: 'boolean', default: false },
  },
});
const count = (s: string) => Number(s.trim().replace(/_/g, ''));
const sizes = values.users.split(',').map(count);
const capSeconds = Number(values['cap-seconds']);
const limitedUsers = count(values['rate-limited-users']);
const bucketLimit = count(values['rate-limit']);
const share = Number(values.share);
const limitedCap = Number(values['rate-limited-cap-seconds']);
const seed = count(values.seed);
const heapCapMiB = count(values['heap-cap-mib']);
const repeat = count(values.repeat);
const heapEnv: Record<string, string> =
  heapCapMiB > 0 ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapCapMiB}`.trim() } : {};
if (
  [...sizes, limitedUsers, bucketLimit, seed, heapCapMiB, repeat].some((n) => !Number.isInteger(n) || n < 0) ||
  !(capSeconds > 0)
) {
  throw new Error('usage: --users 100000,1000000 --cap-seconds 900 (whole numbers)');
}

const ENCODERS = values.encoder.split(',').map((e) => e.trim());
if (ENCODERS.some((e) => e !== 'thread' && e !== 'worker')) throw new Error('usage: --encoder thread,worker');
const encoderEnv = (encoder: string): Record<string, string> =>
  encoder === 'worker' ? { ...heapEnv, OKTA_FLOW_PARQUET_WORKER: '1' } : heapEnv;
const label = (flow: string, encoder: string) => (encoder === 'worker' ? `${flow} [worker]` : flow);

const FLOWS = [
  { flow: 'users-full', extractVariant: 'sequential' },
  { flow: 'users-full-sliced', extractVariant: 'sliced' },
] as const;

/** Extraction records/s measured earlier by bench/extract.ts, per users count and variant. */
function baselines(file: string | undefined): Map<string, number> {
  const map = new Map<string, number>();
  if (file === undefined) return map;
  const report = JSON.parse(readFileSync(file, 'utf8')) as ExtractReport;
  for (const run of report.runs) {
    for (const v of run.variants) if (v.error === undefined) map.set(`${run.users}:${v.variant}`, v.recordsPerSecond);
  }
  return map;
}
const known = baselines(values['baseline-from']);

async function e2e(sandbox: SandboxProcess, flow: string, cap: number, encoder = 'thread'): Promise<EndToEndResult> {
  const out = mkdtempSync(join(tmpdir(), 'okta-flow-bench-'));
  try {
    const args = ['--base-url', sandbox.info.baseUrl, '--token', sandbox.info.apiToken, '--flow', flow, '--out', out];
    args.push('--format', values.format, '--cap-seconds', String(cap), '--share', String(share));
    const { result } = await runWorker<EndToEndResult>('bench/lib/end-to-end-worker.ts', args, {
      timeoutMs: (cap + 120) * 1000,
      env: encoderEnv(encoder),
    });
    return { ...result, flow: label(result.flow, encoder) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function extractAlone(sandbox: SandboxProcess, variant: 'sequential' | 'sliced'): Promise<number | null> {
  try {
    const args = ['--variant', variant, '--base-url', sandbox.info.baseUrl, '--token', sandbox.info.apiToken];
    args.push('--cap-seconds', String(capSeconds), '--slices', '8', '--concurrency', '4');
    const { result } = await runWorker<WorkerResult>('bench/extract-worker.ts', args, {
      timeoutMs: (capSeconds + 120) * 1000,
      env: heapEnv,
    });
    return Math.round(result.records / (result.ms / 1000));
  } catch (error) {
    console.error(`  extraction alone (${variant}) failed: ${String(error).slice(0, 300)}`);
    return null;
  }
}

interface BaselineResult {
  readonly records: number;
  readonly pages: number;
  readonly bytes: number;
  readonly ms: number;
  readonly startRssKiB: number;
  readonly hwmKiB: number;
}

/** The hand-written fetch + DuckDB COPY pipeline (bench/lib/duckdb-baseline-worker.ts), as an end-to-end row. */
async function duckdbBaseline(sandbox: SandboxProcess, users: number, extractRps: number | null): Promise<EndToEndRow> {
  const out = mkdtempSync(join(tmpdir(), 'okta-flow-bench-duckdb-'));
  const flow = 'baseline: fetch + DuckDB COPY';
  try {
    const args = ['--base-url', sandbox.info.baseUrl, '--token', sandbox.info.apiToken, '--out', out];
    const { result } = await runWorker<BaselineResult>('bench/lib/duckdb-baseline-worker.ts', args, {
      timeoutMs: (capSeconds + 120) * 1000,
      env: heapEnv,
    });
    const r = { ...result, flow, missing: false, complete: true, files: 1, rateLimitWaitMs: 0, throttled: 0 };
    return row(users, flow, { ...r, tasks: 1, perSecond: [] }, extractRps);
  } catch (error) {
    const empty = { flow, missing: false, complete: false, records: 0, pages: 0, files: 0, bytes: 0, ms: 0 };
    const failed = { ...empty, rateLimitWaitMs: 0, throttled: 0, tasks: 1, startRssKiB: 0, hwmKiB: 0, perSecond: [] };
    return row(users, flow, { ...failed, error: String(error).slice(0, 500) }, extractRps);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function row(users: number, flow: string, r: EndToEndResult, extractRps: number | null, limited = false): EndToEndRow {
  const seconds = r.ms / 1000;
  const rps = r.error === undefined && seconds > 0 ? Math.round(r.records / seconds) : 0;
  return {
    users,
    flow,
    rateLimited: limited,
    missing: r.missing,
    complete: r.complete,
    ...(r.error !== undefined ? { error: r.error.slice(0, 1000) } : {}),
    records: r.records,
    pages: r.pages,
    files: r.files,
    outputMiB: Math.round((r.bytes / 2 ** 20) * 10) / 10,
    seconds: Math.round(seconds * 10) / 10,
    recordsPerSecond: rps,
    extractRecordsPerSecond: extractRps,
    tasks: r.tasks,
    peakRssMiB: mib(r.hwmKiB),
    startRssMiB: mib(r.startRssKiB),
    rateLimitWaitMs: Math.round(r.rateLimitWaitMs),
    throttled: r.throttled,
    perMinute: perMinute(r.perSecond),
  };
}

function perMinute(perSecond: readonly (readonly [number, number])[]): number[] {
  const minutes: number[] = [];
  perSecond.forEach(([ok, throttled], second) => {
    const m = Math.floor(second / 60);
    minutes[m] = (minutes[m] ?? 0) + ok + throttled;
  });
  return minutes;
}

const rows: EndToEndRow[] = [];
const sandboxes: { users: number; peakRssMiB: number }[] = [];
let runnerMissing = false;
for (const users of sizes) {
  console.error(`end-to-end: sandbox with ${users.toLocaleString('en-US')} users (rate limits off)…`);
  const sandbox = await startSandboxProcess({ users, seed, args: ['--no-rate-limits'] });
  try {
    await walkPages(
      `${sandbox.info.baseUrl}/api/v1/users?limit=200&search=status%20pr`,
      { Authorization: `SSWS ${sandbox.info.apiToken}`, Accept: 'application/json' },
      { maxPages: 20 },
    );
    const extractAloneRps = new Map<string, number | null>();
    for (let run = 0; run < repeat; run++)
      for (const { flow, extractVariant } of FLOWS) {
        // Extraction alone is measured in every repetition, right after the end-to-end runs (same load).
        const results: EndToEndResult[] = [];
        for (const encoder of ENCODERS) {
          console.error(`  ${label(flow, encoder)} (run ${run + 1} of ${repeat})…`);
          results.push(await e2e(sandbox, flow, capSeconds, encoder));
          if (results.at(-1)?.missing) break;
        }
        if (results.some((r) => r.missing)) {
          const r = results.find((x) => x.missing) as EndToEndResult;
          runnerMissing = true;
          console.error(`  the runner is missing: ${r.error ?? ''}`);
          rows.push(row(users, flow, r, null));
          break;
        }
        const baseline = known.get(`${users}:${extractVariant}`) ?? (await extractAlone(sandbox, extractVariant));
        extractAloneRps.set(extractVariant, baseline);
        for (const r of results) {
          const line = { ...row(users, r.flow, r, baseline), run: run + 1 };
          rows.push(line);
          console.error(
            r.error === undefined
              ? `  ${r.flow}: ${r.records} records in ${line.seconds} s (${line.recordsPerSecond}/s; extraction alone ${baseline ?? 'n/a'}/s), peak RSS ${line.peakRssMiB} MiB`
              : `  ${r.flow}: FAILED — ${r.error.slice(0, 300)}`,
          );
        }
      }
    if (!runnerMissing && !values['no-baseline']) {
      console.error('  baseline: fetch + DuckDB COPY…');
      const line = await duckdbBaseline(sandbox, users, extractAloneRps.get('sequential') ?? null);
      rows.push(line);
      console.error(`  baseline: ${line.records} records in ${line.seconds} s, peak RSS ${line.peakRssMiB} MiB`);
    }
    sandboxes.push({ users, peakRssMiB: mib(readProcMemory(sandbox.pid).hwmKiB) });
  } finally {
    await sandbox.stop();
  }
  if (runnerMissing) break;
}

// Each flow on a fresh sandbox (fresh rate-limit windows). The sliced flow runs its tasks in parallel, each with
// its own Okta client: this shows whether they stay within the share together.
for (const { flow } of !runnerMissing && limitedCap > 0 ? FLOWS : []) {
  console.error(
    `end-to-end: rate-limited ${flow} — ${limitedUsers.toLocaleString('en-US')} users, users bucket ${bucketLimit}/min, share ${share}…`,
  );
  const sandbox = await startSandboxProcess({
    users: limitedUsers,
    seed,
    args: ['--rate-limit', `users=${bucketLimit}`],
  });
  try {
    const r = await e2e(sandbox, flow, limitedCap);
    const line = row(limitedUsers, flow, r, null, true);
    rows.push(line);
    const stats = (await (await fetch(`${sandbox.info.baseUrl}/__sandbox/stats`)).json()) as {
      requests: number;
      rateLimited: number;
      concurrencyRejected: number;
    };
    Object.assign(line, { sandboxRequests: stats.requests, sandbox429: stats.rateLimited + stats.concurrencyRejected });
    console.error(
      r.error === undefined
        ? `  ${line.records} records in ${line.seconds} s, per minute ${line.perMinute.join(', ')}, 429s ${line.sandbox429}`
        : `  FAILED — ${r.error.slice(0, 300)}`,
    );
  } finally {
    await sandbox.stop();
  }
}

const report: EndToEndReport = {
  machine: machineInfo(),
  format: values.format,
  capSeconds,
  bucketPerMinute: bucketLimit,
  share,
  heapCapMiB,
  repeat,
  runnerMissing,
  sandboxes,
  rows,
};
const file = values['no-save'] ? null : writeResult('end-to-end', report);
console.log(renderEndToEnd(report));
if (file !== null) console.log(`\nresult: ${file}`);
if (runnerMissing) {
  console.log('\nThe runner (lambdas/flow/runner, bin/commands/runner-deps.ts) is missing: no end-to-end figures.');
  process.exitCode = 2;
}
