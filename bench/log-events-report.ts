/** The result of bench/log-events.ts and its section of BENCHMARKS.md. */
import { markdownTable } from './lib/markdown-table.js';

/** One minute of a run, from its first answer: what the runner and the sandbox were doing. */
export interface LogEventsMinute {
  readonly requests: number;
  /** Mean time from sending a request to its response headers (the sandbox's work and the wire). */
  readonly meanLatencyMs: number;
  /** CPU used in that minute, % of one core. */
  readonly runnerCpuPct: number;
  readonly sandboxCpuPct: number;
  /** The machine's 1-minute load average at the minute's end. */
  readonly loadAverage: number;
}

export interface LogEventsSize {
  /** Per minute (absent in results before the option). */
  readonly minutes?: readonly LogEventsMinute[];
  readonly events: number;
  /** Days back the run started (absent in results before the option: 89). */
  readonly days?: number;
  readonly records: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly requests: number;
  readonly throttled: number;
  /** Requests in each full minute after the first (steady state). */
  readonly steadyPerMinute: readonly number[];
  readonly logsLimit: number;
  readonly ceilingPerMinute: number;
  /** Mean steady-state requests/min as a percentage of the ceiling. */
  readonly shareOfCeiling: number;
  readonly busiest60s: number;
  readonly peakRssMiB: number;
  readonly hwmMiB: number;
  readonly files: number;
}

export interface LogEventsReport {
  readonly share: number;
  readonly format: string;
  readonly results: readonly LogEventsSize[];
}

export function renderLogEvents(r: LogEventsReport): string {
  const table = markdownTable(
    [
      'history events',
      'days read',
      'events read',
      'logs bucket /min',
      'ceiling /min',
      's',
      'events/s',
      'requests',
      'steady requests in each full minute',
      'of the ceiling',
      'busiest 60 s',
      '429s',
      'files',
      'runner peak RSS MiB (VmHWM)',
    ],
    r.results.map((x) => [
      x.events,
      x.days ?? 89,
      x.records,
      x.logsLimit,
      x.ceilingPerMinute,
      x.seconds,
      x.eventsPerSecond,
      x.requests,
      x.steadyPerMinute.join(', ') || '–',
      x.steadyPerMinute.length === 0 ? '– (no full minute)' : `${x.shareOfCeiling}%`,
      x.busiest60s,
      x.throttled,
      x.files,
      `${x.peakRssMiB} (${x.hwmMiB})`,
    ]),
  );
  const verdicts = r.results
    .filter((x) => x.steadyPerMinute.length > 0)
    .map((x) => {
      const met = x.shareOfCeiling >= 95 && x.busiest60s <= x.ceilingPerMinute && x.throttled === 0;
      return (
        `- ${x.records.toLocaleString('en-US')} events read (ceiling ${x.ceilingPerMinute}/min): ${x.shareOfCeiling}% of the ceiling in the steady state, busiest 60 s ` +
        `${x.busiest60s} of ${x.ceilingPerMinute} allowed, ${x.throttled} 429s — ${met ? 'met' : 'NOT met'} (≥ 95%, never above, 0 429s).`
      );
    });
  const minuteTables = r.results
    .filter((x) => x.minutes !== undefined && x.minutes.length > 0)
    .flatMap((x) => [
      '',
      `Minute by minute, ${x.records.toLocaleString('en-US')} events at a ${x.ceilingPerMinute}/min ceiling (the last minute is partial):`,
      '',
      markdownTable(
        ['minute', 'requests', 'sandbox ms to headers (mean)', 'runner CPU %', 'sandbox CPU %', 'load average'],
        (x.minutes ?? []).map((m, i) => [
          i,
          m.requests,
          m.meanLatencyMs,
          m.runnerCpuPct,
          m.sandboxCpuPct,
          m.loadAverage,
        ]),
      ),
    ]);
  return [
    `A LogEvent flow's first run (\`bench/log-events.ts\`, the CLI's in-process runner, ${r.format} output) over the sandbox's ` +
      `generated System Log history (its own process, rate limits on), from 89 days back, okta-flow at ` +
      `${Math.round(r.share * 100)}% of the logs bucket. Okta's logs bucket is 50/min on most plans; the bench raises it so ` +
      'each size has minutes of steady state (the ceiling is limit × share either way). Throughput is the ceiling × ' +
      '1000 events per page: the run is rate-bound by design. Figures from a shared 2-core machine.',
    '',
    table,
    '',
    ...verdicts,
    ...minuteTables,
    '',
    'Memory: the runner holds one page (≤ 1000 events) and one open file at a time; the dedupe set is 8 bytes per ' +
      'uuid on disk, 16–32 in memory. Files: one or more per UTC day of `published` (89 days here).',
  ].join('\n');
}
