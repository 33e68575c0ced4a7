/** The result of bench/rate-share.ts and its section of BENCHMARKS.md. */
import { markdownTable } from './lib/markdown-table.js';

export interface RateShareScenario {
  readonly scenario: 'sliced' | 'resumed' | 'sequential';
  readonly flow: string;
  readonly tasks: number;
  readonly requests: number;
  readonly throttled: number;
  /** Requests answered in each minute since the first request (the last one usually partial). */
  readonly perMinute: readonly number[];
  readonly busiestMinute: number;
  /** Most requests answered within any 60 s. */
  readonly busiest60s: number;
  /** Per Okta window (one X-Rate-Limit-Reset): limit − the lowest Remaining Okta reported, i.e. used by everyone. */
  readonly usedPerWindow: readonly number[];
  readonly records: number;
  readonly seconds: number;
  readonly complete: boolean;
  readonly error?: string | undefined;
}

export interface RateShareReport {
  readonly users: number;
  readonly share: number;
  readonly bucketPerMinute: number;
  readonly allowedPerMinute: number;
  readonly capSeconds: number;
  readonly results: readonly RateShareScenario[];
}

const DESCRIBE: Record<RateShareScenario['scenario'], string> = {
  sliced: 'sliced (18 tasks, 4 at once)',
  resumed: 'sliced, every step ≤ 10 s (resumed by fresh clients)',
  sequential: 'one task',
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function renderRateShare(r: RateShareReport): string {
  const allowed = r.allowedPerMinute;
  const rows = r.results.map((s) => [
    DESCRIBE[s.scenario],
    s.requests,
    Number(s.seconds.toFixed(1)),
    s.perMinute.join(', ') || 'n/a',
    s.busiestMinute,
    pct(s.busiestMinute / allowed),
    s.busiest60s,
    s.usedPerWindow.length > 0 ? Math.max(...s.usedPerWindow) : 0,
    s.throttled,
    s.complete ? s.records.toLocaleString('en-US') : `(stopped: ${s.error ?? 'cap'})`,
  ]);
  const verdicts = r.results.map(
    (s) =>
      `- ${DESCRIBE[s.scenario]}: busiest minute ${s.busiestMinute} of ${allowed} allowed (${pct(s.busiestMinute / allowed)}) — ` +
      `${s.busiestMinute <= allowed ? 'within the share: met' : 'OVER the share: NOT met'}; busiest 60 s anywhere ${s.busiest60s}.`,
  );
  return [
    `Users bucket ${r.bucketPerMinute}/min with the sandbox's rate limits on, okta-flow at ${pct(r.share)} = ${allowed}/min allowed for the whole run, ${r.users.toLocaleString('en-US')} users, full re-sync (\`bench/rate-share.ts\`; each scenario stops after ${r.capSeconds} s).`,
    '',
    markdownTable(
      [
        'scenario',
        'requests',
        'seconds',
        'requests in each minute since the first',
        'busiest minute',
        'of the share',
        'busiest 60 s (sliding)',
        'most of an Okta window used',
        '429s',
        'records',
      ],
      rows,
    ),
    '',
    ...verdicts,
    '',
    "\"most of an Okta window used\" is Okta's own count (limit − the lowest X-Rate-Limit-Remaining reported in one window), so it covers every task of the run at once. Before the fix the sliced run used 315 requests (105%) in its busiest minute: each task's fresh client paced to its part of the share without knowing what the run's earlier tasks had used in the window. Now every client also keeps what Okta says is left of the bucket above what the run must leave to others (see lambdas/okta/http/governor.ts).",
    '',
  ].join('\n');
}
