/**
 * `npx tsx bench/log-events.ts`: how fast a LogEvent flow reads the System Log against the logs bucket's ceiling at
 * the configured share, and whether the runner's memory stays flat in the number of events — a benchmark, not a
 * test.
 *
 *   npx tsx bench/log-events.ts [--events 100000,1000000] [--logs-limit 60,600] [--days 89] [--share 0.5] [--format parquet]
 *
 * For each size: the sandbox runs in its own process with `--log-events <n>` (generated over the 90 days before
 * its epoch, in bounded memory) and Okta's rate limits on, the logs bucket at `--logs-limit` per minute, one per size
 * (Okta's is 50/min on most plans; 600 keeps a 1M-event run to minutes, 60 gives 100k events the same ~3 minutes of
 * steady state: the ceiling is `limit × share` either way).
 * This process runs a LogEvent flow's first run (the CLI's in-process runner, `runFlow`, into a temporary folder)
 * from 89 days back, recording every answer's time and status. Reported: events, seconds, events/s; requests per
 * minute in the steady state (every full minute after the first) against the ceiling (share × limit), the busiest
 * 60 s anywhere, 429s; the runner's peak RSS (sampled) and VmHWM; per minute the sandbox's mean time to answer and the
 * CPU of the runner and of the sandbox process (and the load average), to tell a slow minute's cause. Writes
 * bench/results/log-events-<time>.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localRunnerDeps, parseOut } from '../bin/commands/runner-deps.js';
import { parseConfig } from '../lambdas/flow/config/index.js';
import { runFlow } from '../lambdas/flow/runner/run-flow.js';
import { DEFAULT_EPOCH_MS } from '../sandbox/org/index.js';
import { writeResult } from './lib/results.js';
import { mib, startRssSampler } from './lib/rss.js';
import { startSandboxProcess } from './lib/sandbox-process.js';
import {
  type LogEventsMinute,
  type LogEventsReport,
  type LogEventsSize,
  renderLogEvents,
} from './log-events-report.js';

/** utime + stime of a process, in seconds (/proc/<pid>/stat, clock ticks of 100 Hz). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000,1000000' },
    share: { type: 'string', default: '0.5' },
    'logs-limit': { type: 'string', default: '60,600' },
    // How far back each size's run starts (days, ≤ 89): same history, fewer days = fewer events at the same density.
    days: { type: 'string', default: '89' },
    format: { type: 'string', default: 'parquet' },
  },
});
const sizes = values.events.split(',').map(Number);
const share = Number(values.share);
const logsLimits = values['logs-limit'].split(',').map(Number);
const daysList = values.days.split(',').map(Number);
const format = values.format;

type SizeResult = LogEventsSize;

async function runSize(events: number, logsLimit: number, days: number): Promise<SizeResult> {
  const clockStart = DEFAULT_EPOCH_MS + 60_000;
  const sandbox = await startSandboxProcess({
    users: 20_000,
    args: [
      '--log-events',
      String(events),
      '--rate-limit',
      `logs=${logsLimit}`,
      '--clock-start',
      new Date(clockStart).toISOString(),
    ],
  });
  const offset = Date.now() - clockStart;
  const clock = () => Date.now() - offset;
  const answers: { at: number; status: number; latencyMs: number }[] = [];
  const recording = (async (input: string | URL | Request, init?: RequestInit) => {
    const sent = performance.now();
    const response = await fetch(input, init);
    // The body is read by the client after this: latency here is the sandbox's time to the headers.
    answers.push({ at: performance.now(), status: response.status, latencyMs: performance.now() - sent });
    return response;
  }) as typeof fetch;
  // CPU seconds of this process (the runner) and of the sandbox process, sampled every 10 s: who is busy when.
  const cpuSamples: { at: number; runner: number; sandbox: number; load: number }[] = [];
  const sampleCpu = () =>
    cpuSamples.push({
      at: performance.now(),
      runner: cpuSeconds(process.pid),
      sandbox: cpuSeconds(sandbox.pid),
      load: loadavg()[0] ?? 0,
    });
  sampleCpu();
  const cpuTimer = setInterval(sampleCpu, 10_000);
  const config = parseConfig(
    {
      okta: { domain: 'bench.okta.com', credentialsSecret: { create: true }, rateLimitShare: share },
      output: {
        bucket: { create: true },
        prefix: 'okta',
        format,
        ...(format === 'parquet' ? {} : { compression: 'none' }),
      },
      flows: [
        {
          name: 'system-log',
          object: 'LogEvent',
          mode: 'incremental',
          firstExecutionFrom: new Date(clockStart - days * DAY).toISOString(),
        },
      ],
    },
    'log-events bench config',
  );
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-log-events-'));
  const rss = startRssSampler(process.pid);
  const started = performance.now();
  try {
    const deps = localRunnerDeps({
      config,
      okta: { kind: 'sandbox', baseUrl: sandbox.info.baseUrl, apiToken: sandbox.info.apiToken },
      out: parseOut(dir, undefined),
      oktaClientOptions: { fetch: recording },
      clock,
    });
    const result = await runFlow('system-log', { kind: 'manual' }, deps);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(cpuTimer);
    sampleCpu();
    const memory = rss.stop();
    const first = answers[0]?.at ?? 0;
    const perMinute: number[] = [];
    for (const a of answers) {
      const minute = Math.floor((a.at - first) / 60_000);
      while (perMinute.length <= minute) perMinute.push(0);
      perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    const lastFull = Math.floor(((answers.at(-1)?.at ?? first) - first) / 60_000);
    const steady = perMinute.slice(1, lastFull);
    const times = answers.map((a) => a.at);
    let busiest60s = 0;
    for (let lo = 0, hi = 0; hi < times.length; hi++) {
      while ((times[hi] ?? 0) - (times[lo] ?? 0) >= 60_000) lo++;
      busiest60s = Math.max(busiest60s, hi - lo + 1);
    }
    const ceiling = logsLimit * share;
    const mean = steady.length === 0 ? Number.NaN : steady.reduce((n, x) => n + x, 0) / steady.length;
    const records = result.completed.counts.records;
    const minutes: LogEventsMinute[] = perMinute.map((requests, minute) => {
      const lo = first + minute * 60_000;
      const hi = lo + 60_000;
      const inMinute = answers.filter((a) => a.at >= lo && a.at < hi);
      const cpu = cpuSamples.filter((c) => c.at >= lo && c.at < hi);
      const a = cpuSamples.filter((c) => c.at < lo).at(-1) ?? cpu[0];
      const b = cpu.at(-1);
      const span = a !== undefined && b !== undefined && b.at > a.at ? (b.at - a.at) / 1000 : Number.NaN;
      return {
        requests,
        meanLatencyMs: Math.round(inMinute.reduce((n, x) => n + x.latencyMs, 0) / Math.max(1, inMinute.length)),
        runnerCpuPct: a && b ? Math.round((100 * (b.runner - a.runner)) / span) : Number.NaN,
        sandboxCpuPct: a && b ? Math.round((100 * (b.sandbox - a.sandbox)) / span) : Number.NaN,
        loadAverage: Math.round((b?.load ?? 0) * 10) / 10,
      };
    });
    return {
      minutes,
      events,
      days,
      records,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(records / seconds),
      requests: answers.length,
      throttled: answers.filter((a) => a.status === 429).length,
      steadyPerMinute: steady,
      logsLimit,
      ceilingPerMinute: ceiling,
      shareOfCeiling: Math.round((mean / ceiling) * 1000) / 10,
      busiest60s,
      peakRssMiB: mib(memory.peakRssKiB),
      hwmMiB: mib(memory.hwmKiB),
      files: result.completed.counts.files,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.stop();
  }
}

const results: SizeResult[] = [];
for (const [i, size] of sizes.entries()) {
  const r = await runSize(size, logsLimits[i] ?? logsLimits.at(-1) ?? 600, daysList[i] ?? daysList.at(-1) ?? 89);
  results.push(r);
  console.error(JSON.stringify(r));
}
const report: LogEventsReport = { share, format, results };
const file = writeResult('log-events', report);
console.log(renderLogEvents(report));
console.log(`\n${file}`);
