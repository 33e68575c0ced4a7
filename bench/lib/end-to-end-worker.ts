/**
 * One whole `okta-flow run` in its own process, run by bench/end-to-end.ts — not a test. The CLI's in-process path
 * without its progress bars: `localRunnerDeps` (bin/commands/runner-deps.ts) + `runFlow`, a full re-sync of every
 * user into a local folder, against a sandbox that runs in another process.
 *
 *   node --import tsx bench/lib/end-to-end-worker.ts --base-url URL --token T --flow users-full|users-full-sliced
 *     --out DIR [--format parquet] [--cap-seconds 900] [--share 0.5]
 *
 * Prints `RESULT {json}`. When the runner is not in the repository yet, the result says so (`missing`).
 */
import { parseArgs } from 'node:util';
import type { OktaClientObserver } from '../../lambdas/okta/types.js';
import { readProcMemory } from './rss.js';

/** The bench's flow config: one sequential and one sliced full flow of every user. */
export function benchConfig(format: string, share: number): unknown {
  return {
    okta: { domain: 'bench.okta.com', credentialsSecret: { create: true }, rateLimitShare: share, maxConcurrency: 8 },
    output: { bucket: { create: true }, prefix: 'okta', format },
    flows: [
      { name: 'users-full', object: 'User', mode: 'full' },
      // The runner slices full runs on `created` from 2009 to now; the sandbox's users are created in 2022–2025.
      // One-year slices: 4 hold data and run at once (concurrency 4), plus cheap empty ones (18 tasks in all).
      { name: 'users-full-sliced', object: 'User', mode: 'full', slicing: { sliceHours: 8766, concurrency: 4 } },
    ],
  };
}

export interface EndToEndResult {
  readonly flow: string;
  /** True when the runner modules are not there (yet). */
  readonly missing: boolean;
  /** False when the time cap stopped the run: `records` are then the ones read so far (nothing committed). */
  readonly complete: boolean;
  readonly error?: string;
  readonly records: number;
  readonly pages: number;
  readonly files: number;
  readonly bytes: number;
  readonly ms: number;
  readonly rateLimitWaitMs: number;
  readonly throttled: number;
  readonly tasks: number;
  readonly startRssKiB: number;
  readonly hwmKiB: number;
  /** Per second since the first Okta request: [responses other than 429, 429s]. */
  readonly perSecond: readonly (readonly [number, number])[];
}

async function main(): Promise<EndToEndResult> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      flow: { type: 'string', default: 'users-full' },
      out: { type: 'string' },
      format: { type: 'string', default: 'parquet' },
      'cap-seconds': { type: 'string', default: '900' },
      share: { type: 'string', default: '0.5' },
    },
  });
  const baseUrl = values['base-url'];
  const apiToken = values.token;
  const out = values.out;
  if (baseUrl === undefined || apiToken === undefined || out === undefined) throw new Error('--base-url --token --out');
  const flow = values.flow;
  const empty = {
    flow,
    records: 0,
    pages: 0,
    files: 0,
    bytes: 0,
    ms: 0,
    rateLimitWaitMs: 0,
    throttled: 0,
    tasks: 0,
    startRssKiB: 0,
    hwmKiB: 0,
    perSecond: [],
  };

  let modules: [
    typeof import('../../bin/commands/runner-deps.js'),
    typeof import('../../lambdas/flow/runner/index.js'),
  ];
  try {
    modules = await Promise.all([
      import('../../bin/commands/runner-deps.js'),
      import('../../lambdas/flow/runner/index.js'),
    ]);
  } catch (error) {
    return { ...empty, missing: true, complete: false, error: `runner not importable: ${String(error).slice(0, 500)}` };
  }
  const [{ localRunnerDeps, parseOut }, { runFlow }] = modules;
  const { parseConfig } = await import('../../lambdas/flow/config/index.js');

  const config = parseConfig(benchConfig(values.format, Number(values.share)), 'bench config');
  // Records read so far per task, so a run stopped by the cap still tells how fast it went.
  const progress = new Map<string, { records: number; pages: number }>();
  const base = localRunnerDeps({
    config,
    okta: { kind: 'sandbox', baseUrl, apiToken },
    out: parseOut(out, undefined),
    onProgress: (u) => progress.set(u.taskId, { records: u.records, pages: u.pages }),
  });
  const perSecond: [number, number][] = [];
  let first: number | null = null;
  const mine: OktaClientObserver = {
    onRequest({ status }) {
      const now = performance.now();
      first ??= now;
      const second = Math.floor((now - first) / 1000);
      while (perSecond.length <= second) perSecond.push([0, 0]);
      const counts = perSecond[second];
      if (counts !== undefined) counts[status === 429 ? 1 : 0]++;
    },
  };
  const tee = (theirs: OktaClientObserver): OktaClientObserver => ({
    ...theirs,
    onRequest(info) {
      mine.onRequest?.(info);
      theirs.onRequest?.(info);
    },
  });
  const deps = {
    ...base,
    createOktaApi: (observer: OktaClientObserver, options: { concurrentTasks: number }) =>
      base.createOktaApi(tee(observer), options),
  };

  const startRssKiB = readProcMemory(process.pid).rssKiB;
  const started = performance.now();
  try {
    const result = await runFlow(flow, { kind: 'manual', fullResync: true }, deps, {
      signal: AbortSignal.timeout(Number(values['cap-seconds']) * 1000),
    });
    const c = result.completed.counts;
    return {
      flow,
      missing: false,
      complete: true,
      records: c.records,
      pages: c.pages,
      files: c.files,
      bytes: c.bytes,
      ms: performance.now() - started,
      rateLimitWaitMs: c.rateLimitWaitMs,
      throttled: c.throttled,
      tasks: result.planned.tasks.length,
      startRssKiB,
      hwmKiB: readProcMemory(process.pid).hwmKiB,
      perSecond,
    };
  } catch (error) {
    const capped = error instanceof Error && error.name === 'TimeoutError';
    const sum = (key: 'records' | 'pages') => [...progress.values()].reduce((n, p) => n + p[key], 0);
    return {
      ...empty,
      missing: false,
      complete: false,
      ...(capped
        ? { records: sum('records'), pages: sum('pages') }
        : { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
      ms: performance.now() - started,
      startRssKiB,
      hwmKiB: readProcMemory(process.pid).hwmKiB,
      perSecond,
    };
  }
}

if (process.argv[1]?.endsWith('end-to-end-worker.ts')) {
  const result = await main();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
