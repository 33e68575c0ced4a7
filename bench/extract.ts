/**
 * Extraction benchmark (not a test): records/s, requests/s and peak RSS of okta-flow's extraction against two
 * baselines, all listing every user of a sandbox org run as a child process.
 *
 *   npx tsx bench/extract.ts [--users 100000[,1000000]] [--variants plain,sdk,sequential,sliced]
 *     [--slices 8] [--concurrency 4] [--cap-seconds 300] [--rate-limited-seconds 120] [--rate-limited-users 200000]
 *     [--rate-limit 600] [--share 0.5] [--seed 42] [--repeat 1] [--latency-ms 150] [--latency-users 20000] [--no-save]
 *
 * Variants (each in its own process, bench/extract-worker.ts, so each peak RSS is its own):
 * - plain: fetch + Link + JSON.parse, nothing else: the ceiling.
 * - sdk: `@okta/okta-sdk-nodejs` `userApi.listUsers({ search: 'status pr', limit: 200 })`, iterating the collection.
 * - sequential: okta-flow `extract` (governor, retries, residual, projection).
 * - sliced: okta-flow `planSlices` on `created` + `extractSlices`.
 * The sandbox runs with rate limits off (it advertises an unlimited bucket). Requests are counted by the sandbox
 * (`/__sandbox/stats`). Then a rate-limited run: a fresh sandbox with a users bucket of `--rate-limit`/min, the
 * sliced extraction at `--share` of it, for `--rate-limited-seconds`: requests per minute achieved vs allowed, 429s.
 * Then once more on `--latency-users` with `--latency-ms` added to every users page (the sandbox's latency fault):
 * on loopback the sandbox answers in milliseconds, Okta in hundreds, and concurrency pays off only against latency
 * (0 = skip).
 * With --repeat N each variant runs N times (rounds interleave the variants) and the best run is reported.
 * Writes bench/results/extract-*.json and prints markdown tables.
 */
import { parseArgs } from 'node:util';
import {
  type ExtractReport,
  type ExtractSettings,
  type RateLimitedRun,
  type SizeRun,
  VARIANTS,
  type Variant,
  type VariantResult,
  type WorkerResult,
} from './lib/extract-variants.js';
import { walkPages } from './lib/link-pages.js';
import { renderExtract } from './lib/render-extract.js';
import { machineInfo, writeResult } from './lib/results.js';
import { mib, readProcMemory } from './lib/rss.js';
import { type SandboxProcess, startSandboxProcess } from './lib/sandbox-process.js';
import { runWorker } from './lib/worker-process.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    variants: { type: 'string', default: VARIANTS.join(',') },
    slices: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '4' },
    'cap-seconds': { type: 'string', default: '300' },
    'rate-limited-seconds': { type: 'string', default: '120' },
    'rate-limited-users': { type: 'string', default: '200000' },
    'rate-limit': { type: 'string', default: '600' },
    share: { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '42' },
    repeat: { type: 'string', default: '1' },
    'latency-ms': { type: 'string', default: '150' },
    'latency-users': { type: 'string', default: '20000' },
    'no-save': { type: 'boolean', default: false },
  },
});

const count = (s: string) => Number(s.trim().replace(/_/g, ''));
const sizes = values.users.split(',').map(count);
const variants = values.variants.split(',').map((name) => {
  const v = VARIANTS.find((known) => known === name.trim());
  if (v === undefined) throw new Error(`unknown variant "${name}"; known: ${VARIANTS.join(', ')}`);
  return v;
});
const slices = count(values.slices);
const concurrency = count(values.concurrency);
const capSeconds = Number(values['cap-seconds']);
const limitedSeconds = Number(values['rate-limited-seconds']);
const limitedUsers = count(values['rate-limited-users']);
const bucketLimit = count(values['rate-limit']);
const share = Number(values.share);
const seed = count(values.seed);
const repeat = count(values.repeat);
const latencyMs = count(values['latency-ms']);
const latencyUsers = count(values['latency-users']);
for (const n of [...sizes, slices, concurrency, limitedUsers, bucketLimit, seed, repeat, latencyMs, latencyUsers]) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected whole numbers, got ${n}`);
}
if (!(capSeconds > 0) || !(limitedSeconds >= 0) || !(share > 0 && share <= 1)) {
  throw new Error('--cap-seconds > 0, --rate-limited-seconds ≥ 0 (0 = skip), --share in (0, 1]');
}

interface SandboxStats {
  requests: number;
  rateLimited: number;
  concurrencyRejected: number;
}

async function sandboxStats(sandbox: SandboxProcess): Promise<SandboxStats> {
  const response = await fetch(`${sandbox.info.baseUrl}/__sandbox/stats`);
  return (await response.json()) as SandboxStats;
}

function workerArgs(variant: Variant, sandbox: SandboxProcess, cap: number, extra: string[] = []): string[] {
  return [
    '--variant',
    variant,
    '--base-url',
    sandbox.info.baseUrl,
    '--token',
    sandbox.info.apiToken,
    '--cap-seconds',
    String(cap),
    '--slices',
    String(slices),
    '--concurrency',
    String(concurrency),
    ...extra,
  ];
}

async function runVariant(users: number, variant: Variant, sandbox: SandboxProcess): Promise<VariantResult> {
  const before = await sandboxStats(sandbox);
  try {
    const { result } = await runWorker<WorkerResult>(
      'bench/extract-worker.ts',
      workerArgs(variant, sandbox, capSeconds),
      {
        timeoutMs: (capSeconds + 120) * 1000,
      },
    );
    const after = await sandboxStats(sandbox);
    const seconds = result.ms / 1000;
    const requests = after.requests - before.requests;
    return {
      users,
      variant,
      records: result.records,
      pages: result.pages,
      complete: result.complete,
      seconds: round(seconds, 2),
      recordsPerSecond: Math.round(result.records / seconds),
      requests,
      requestsPerSecond: round(requests / seconds, 1),
      http429: after.rateLimited + after.concurrencyRejected - before.rateLimited - before.concurrencyRejected,
      startRssMiB: mib(result.startRssKiB),
      peakRssMiB: mib(result.hwmKiB),
      note: result.note,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  ${variant}: FAILED — ${message.slice(0, 500)}`);
    return {
      users,
      variant,
      records: 0,
      pages: 0,
      complete: false,
      seconds: 0,
      recordsPerSecond: 0,
      requests: 0,
      requestsPerSecond: 0,
      http429: 0,
      startRssMiB: 0,
      peakRssMiB: 0,
      note: '',
      error: message.slice(0, 2000),
    };
  }
}

async function runSize(users: number, latencyMs: number, rounds: number): Promise<SizeRun> {
  const what = latencyMs > 0 ? `, ${latencyMs} ms added to every users page` : '';
  console.error(`extract: sandbox with ${users.toLocaleString('en-US')} users (rate limits off${what})…`);
  const sandbox = await startSandboxProcess({ users, seed, args: ['--no-rate-limits'] });
  try {
    // Warm the sandbox (JIT, first pages) so the first variant is not the only one paying for it.
    await walkPages(
      `${sandbox.info.baseUrl}/api/v1/users?limit=200&search=status%20pr`,
      { Authorization: `SSWS ${sandbox.info.apiToken}`, Accept: 'application/json' },
      { maxPages: 20 },
    );
    if (latencyMs > 0) {
      // Okta answers a 200-user page in a few hundred ms; on loopback the sandbox answers in a few. The latency
      // fault (a wall-clock wait before handling, not CPU) restores the wait that concurrency exists to overlap.
      const response = await fetch(`${sandbox.info.baseUrl}/__sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ pathPrefix: '/api/v1/users', fault: { kind: 'latency', ms: latencyMs } }),
      });
      if (!response.ok) throw new Error(`could not add the latency fault: ${response.status} ${await response.text()}`);
    }
    const results: VariantResult[] = [];
    // Rounds interleave the variants, so a burst of load elsewhere does not hit one variant only.
    const attempts: VariantResult[][] = variants.map(() => []);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, variant] of variants.entries()) {
        console.error(`  ${variant}${rounds > 1 ? ` (round ${round}/${rounds})` : ''}…`);
        const r = await runVariant(users, variant, sandbox);
        attempts[i]?.push(r);
        if (r.error === undefined) {
          console.error(
            `  ${variant}: ${r.records} records in ${r.seconds} s (${r.recordsPerSecond}/s), peak RSS ${r.peakRssMiB} MiB${r.complete ? '' : ' — stopped at the cap'}`,
          );
        }
      }
    }
    for (const tries of attempts) {
      const ok = tries.filter((t) => t.error === undefined);
      const best = (ok.length > 0 ? ok : tries).reduce((a, b) => (b.recordsPerSecond > a.recordsPerSecond ? b : a));
      results.push({ ...best, attempts: tries.length, allRecordsPerSecond: tries.map((t) => t.recordsPerSecond) });
    }
    return {
      users,
      latencyMs,
      sandboxStartSeconds: round(sandbox.startMs / 1000, 1),
      sandboxPeakRssMiB: mib(readProcMemory(sandbox.pid).hwmKiB),
      variants: results,
    };
  } finally {
    await sandbox.stop();
  }
}

const runs: SizeRun[] = [];
for (const users of sizes) runs.push(await runSize(users, 0, repeat));
if (latencyMs > 0 && latencyUsers > 0) runs.push(await runSize(latencyUsers, latencyMs, 1));

let rateLimited: RateLimitedRun | null = null;
if (limitedSeconds > 0) {
  console.error(
    `extract: rate-limited run — users bucket ${bucketLimit}/min, share ${share}, ${limitedSeconds} s, ` +
      `${limitedUsers.toLocaleString('en-US')} users…`,
  );
  const sandbox = await startSandboxProcess({
    users: limitedUsers,
    seed,
    args: ['--rate-limit', `users=${bucketLimit}`],
  });
  const allowedPerMinute = bucketLimit * share;
  try {
    const { result } = await runWorker<WorkerResult>(
      'bench/extract-worker.ts',
      workerArgs('sliced', sandbox, limitedSeconds, ['--share', String(share)]),
      { timeoutMs: (limitedSeconds + 120) * 1000 },
    );
    const stats = await sandboxStats(sandbox);
    const perMinute: number[] = [];
    result.perSecond.forEach(([ok, throttled], second) => {
      const minute = Math.floor(second / 60);
      perMinute[minute] = (perMinute[minute] ?? 0) + ok + throttled;
    });
    const fullMinutes = Math.floor(result.perSecond.length / 60);
    const steady429 = result.perSecond.slice(60).reduce((n, [, throttled]) => n + throttled, 0);
    rateLimited = {
      users: limitedUsers,
      bucketPerMinute: bucketLimit,
      share,
      allowedPerMinute,
      seconds: round(result.ms / 1000, 1),
      records: result.records,
      complete: result.complete,
      requests: stats.requests,
      http429: stats.rateLimited + stats.concurrencyRejected,
      perMinute: perMinute.slice(0, fullMinutes),
      averagePerMinute: round(stats.requests / (result.ms / 60_000), 1),
      steady429,
      waitsMs: result.waitsMs,
      peakRssMiB: mib(result.hwmKiB),
      note: result.note,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  rate-limited run FAILED — ${message.slice(0, 500)}`);
    rateLimited = {
      users: limitedUsers,
      bucketPerMinute: bucketLimit,
      share,
      allowedPerMinute,
      seconds: 0,
      records: 0,
      complete: false,
      requests: 0,
      http429: 0,
      perMinute: [],
      averagePerMinute: 0,
      steady429: 0,
      waitsMs: {},
      peakRssMiB: 0,
      note: '',
      error: message.slice(0, 2000),
    };
  } finally {
    await sandbox.stop();
  }
}

const settings: ExtractSettings = { slices, concurrency, capSeconds, seed, pageLimit: 200, repeat };
const report: ExtractReport = { machine: machineInfo(), settings, runs, rateLimited };
const file = values['no-save'] ? null : writeResult('extract', { settings, runs, rateLimited });
console.log(renderExtract(report));
if (file !== null) console.log(`\nresult: ${file}`);

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
