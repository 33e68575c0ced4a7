/**
 * `npx tsx bench/rate-share.ts`: is the rate-limit share a ceiling for a whole run? — a benchmark, not a test.
 *
 *   npx tsx bench/rate-share.ts [--users 130000] [--share 0.5] [--cap-seconds 200] [--scenarios sliced,resumed,sequential]
 *
 * The sandbox runs in its own process with Okta's rate limits on (users bucket 600/min). This process runs the
 * CLI's in-process runner (`localRunnerDeps` + `runFlow`, a full re-sync into a temporary folder) for each scenario:
 *   sliced     18 tasks on `created`, 4 at once (each a fresh client: the case that used 105% of the share)
 *   resumed    the same, each extract step limited to 10 s, so every task is resumed by fresh clients many times
 *   sequential one task, one client
 * Every answer's time, status and X-Rate-Limit-* headers are recorded (a fetch wrapper). Reported per scenario:
 * requests in each minute since the first request (the busiest one must stay within share × limit), the busiest
 * 60 s anywhere (sliding), and, per Okta window, how much of the bucket had been used (limit − the lowest
 * Remaining Okta reported in it). Writes bench/results/rate-share-<time>.json; `npm run bench -- --phases
 * rate-share` (bench/run-all.ts) renders it into BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localRunnerDeps, parseOut } from '../bin/commands/runner-deps.js';
import { parseConfig } from '../lambdas/flow/config/index.js';
import { runFlow } from '../lambdas/flow/runner/run-flow.js';
import { writeResult } from './lib/results.js';
import { startSandboxProcess } from './lib/sandbox-process.js';
import type { RateShareReport, RateShareScenario } from './rate-share-report.js';

const SCENARIOS = ['sliced', 'resumed', 'sequential'] as const;
type Scenario = (typeof SCENARIOS)[number];
const USERS_BUCKET_PER_MINUTE = 600;

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '130000' },
    share: { type: 'string', default: '0.5' },
    'cap-seconds': { type: 'string', default: '200' },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
  },
});
const users = Number(values.users);
const share = Number(values.share);
const capSeconds = Number(values['cap-seconds']);
const scenarios = values.scenarios.split(',').map((name) => {
  const known = SCENARIOS.find((s) => s === name.trim());
  if (known === undefined) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
  return known;
});

const config = parseConfig(
  {
    okta: { domain: 'bench.okta.com', credentialsSecret: { create: true }, rateLimitShare: share, maxConcurrency: 8 },
    output: { bucket: { create: true }, prefix: 'okta', format: 'jsonl', compression: 'none' },
    flows: [
      { name: 'users-full', object: 'User', mode: 'full' },
      // Slices of a year on `created` from 2009: 18 tasks, the ones holding the sandbox's users 4 at once.
      { name: 'users-full-sliced', object: 'User', mode: 'full', slicing: { sliceHours: 8766, concurrency: 4 } },
    ],
  },
  'rate-share bench config',
);

interface Answer {
  readonly at: number;
  readonly status: number;
  readonly limit: number | null;
  readonly remaining: number | null;
  readonly reset: number | null;
}

const header = (headers: Headers, name: string): number | null => {
  const raw = headers.get(name);
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : null;
};

async function runScenario(scenario: Scenario, baseUrl: string, apiToken: string): Promise<RateShareScenario> {
  await fetch(`${baseUrl}/__sandbox/rate-limits/reset`, { method: 'POST' });
  const answers: Answer[] = [];
  const recording = (async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    answers.push({
      at: performance.now(),
      status: response.status,
      limit: header(response.headers, 'x-rate-limit-limit'),
      remaining: header(response.headers, 'x-rate-limit-remaining'),
      reset: header(response.headers, 'x-rate-limit-reset'),
    });
    return response;
  }) as typeof fetch;
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-rate-share-'));
  const deps = localRunnerDeps({
    config,
    okta: { kind: 'sandbox', baseUrl, apiToken },
    out: parseOut(dir, undefined),
    oktaClientOptions: { fetch: recording },
  });
  const flow = scenario === 'sequential' ? 'users-full' : 'users-full-sliced';
  const started = performance.now();
  let records = 0;
  let tasks = 0;
  let complete = false;
  let error: string | undefined;
  try {
    const result = await runFlow(flow, { kind: 'manual', fullResync: true }, deps, {
      signal: AbortSignal.timeout(capSeconds * 1000),
      ...(scenario === 'resumed' ? { taskBudgetMs: 10_000 } : {}),
      onPlanned: (planned) => {
        tasks = planned.tasks.length;
      },
    });
    records = result.completed.counts.records;
    complete = true;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  return summarise(scenario, flow, tasks, answers, { records, seconds, complete, error });
}

function summarise(
  scenario: Scenario,
  flow: string,
  tasks: number,
  answers: readonly Answer[],
  run: { records: number; seconds: number; complete: boolean; error: string | undefined },
): RateShareScenario {
  const first = answers[0]?.at ?? 0;
  const perMinute: number[] = [];
  for (const a of answers) {
    const minute = Math.floor((a.at - first) / 60_000);
    while (perMinute.length <= minute) perMinute.push(0);
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
  }
  // Busiest 60 s anywhere: two pointers over the sorted times.
  const times = answers.map((a) => a.at).sort((a, b) => a - b);
  let busiest60s = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= 60_000) lo++;
    busiest60s = Math.max(busiest60s, hi - lo + 1);
  }
  // Per Okta window (one Reset value): how much of the bucket was used, by Okta's own count.
  const windows = new Map<number, { limit: number; lowest: number; answers: number }>();
  for (const a of answers) {
    if (a.reset === null || a.limit === null || a.remaining === null || a.limit === 0) continue;
    const w = windows.get(a.reset) ?? { limit: a.limit, lowest: a.remaining, answers: 0 };
    w.lowest = Math.min(w.lowest, a.remaining);
    w.answers += 1;
    windows.set(a.reset, w);
  }
  const usedPerWindow = [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w.limit - w.lowest);
  return {
    scenario,
    flow,
    tasks,
    requests: answers.length,
    throttled: answers.filter((a) => a.status === 429).length,
    perMinute,
    busiestMinute: perMinute.length > 0 ? Math.max(...perMinute) : 0,
    busiest60s,
    usedPerWindow,
    ...run,
  };
}

const sandbox = await startSandboxProcess({ users, args: ['--rate-limit', `users=${USERS_BUCKET_PER_MINUTE}`] });
const results: RateShareScenario[] = [];
try {
  for (const scenario of scenarios) {
    console.error(`rate-share: ${scenario} (${users.toLocaleString('en-US')} users, share ${share})…`);
    const result = await runScenario(scenario, sandbox.info.baseUrl, sandbox.info.apiToken);
    console.error(
      `  ${result.requests} requests in ${result.seconds.toFixed(1)} s, per minute ${result.perMinute.join(', ')}, ` +
        `busiest 60 s ${result.busiest60s}, per Okta window ${result.usedPerWindow.join(', ')}, 429s ${result.throttled}` +
        (result.error ? `, ${result.error}` : ''),
    );
    results.push(result);
  }
} finally {
  await sandbox.stop();
}
const report: RateShareReport = {
  users,
  share,
  bucketPerMinute: USERS_BUCKET_PER_MINUTE,
  allowedPerMinute: Math.floor(USERS_BUCKET_PER_MINUTE * share),
  capSeconds,
  results,
};
console.log(writeResult('rate-share', report));
