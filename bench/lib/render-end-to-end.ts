/** The end-to-end benchmark's report shape and its markdown (printed by bench/end-to-end.ts, put in BENCHMARKS.md). */
import { markdownTable } from './markdown-table.js';

export interface EndToEndRow {
  readonly users: number;
  readonly flow: string;
  readonly rateLimited: boolean;
  readonly missing: boolean;
  /** False when the time cap stopped the run (records/s then over the records read so far). */
  readonly complete: boolean;
  readonly error?: string;
  readonly records: number;
  readonly pages: number;
  readonly files: number;
  readonly outputMiB: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** Extraction alone (same sandbox, same slicing), records/s; null when not measured. */
  readonly extractRecordsPerSecond: number | null;
  readonly tasks: number;
  readonly peakRssMiB: number;
  readonly startRssMiB: number;
  readonly rateLimitWaitMs: number;
  readonly throttled: number;
  /** Okta requests answered per minute since the first (the last minute is usually partial). */
  readonly perMinute: number[];
  /** Repetition number (1-based) when the bench ran each flow more than once. */
  readonly run?: number;
  /** Rate-limited run: what the sandbox counted. */
  sandboxRequests?: number;
  sandbox429?: number;
}

export interface EndToEndReport {
  readonly machine: { node: string; platform: string; cpus: number; cpuModel: string; memoryGiB: number };
  readonly format: string;
  readonly capSeconds: number;
  readonly bucketPerMinute: number;
  readonly share: number;
  /** V8 heap ceiling of the workers (MiB; 0 or absent = Node's default). */
  readonly heapCapMiB?: number;
  readonly repeat?: number;
  readonly runnerMissing: boolean;
  readonly sandboxes: readonly { users: number; peakRssMiB: number }[];
  readonly rows: readonly EndToEndRow[];
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');

export function renderEndToEnd(report: EndToEndReport): string {
  const out: string[] = [];
  if (report.runnerMissing) {
    out.push(
      '**The runner is missing** (`lambdas/flow/runner`, `bin/commands/runner-deps.ts` could not be imported): ' +
        'no end-to-end figures.\n',
    );
  }
  const free = report.rows.filter((r) => !r.rateLimited && !r.missing);
  if (free.length > 0) {
    out.push(
      markdownTable(
        [
          'users',
          'flow',
          'records',
          'seconds',
          'records/s',
          'extraction alone records/s',
          'end-to-end / extraction',
          `${report.format} MiB`,
          'files',
          'peak RSS MiB',
        ],
        free.map((r) =>
          r.error !== undefined
            ? [r.users.toLocaleString('en-US'), r.flow, `failed: ${r.error.slice(0, 120)}`, '', '', '', '', '', '', '']
            : [
                r.users.toLocaleString('en-US'),
                `${r.flow} (${r.tasks} task${r.tasks === 1 ? '' : 's'})`,
                `${r.records.toLocaleString('en-US')}${r.complete ? '' : ' (cap)'}`,
                r.seconds.toFixed(1),
                r.recordsPerSecond.toLocaleString('en-US'),
                r.extractRecordsPerSecond?.toLocaleString('en-US') ?? 'n/a',
                r.extractRecordsPerSecond ? pct(r.recordsPerSecond / r.extractRecordsPerSecond) : 'n/a',
                r.outputMiB.toFixed(1),
                String(r.files),
                r.peakRssMiB.toFixed(1),
              ],
        ),
      ),
      '',
    );
    const checks = free
      .filter((r) => r.error === undefined && r.extractRecordsPerSecond && !r.flow.startsWith('baseline'))
      .map((r) => {
        const x = r.recordsPerSecond / (r.extractRecordsPerSecond ?? 1);
        return `- ${r.users.toLocaleString('en-US')} users, ${r.flow}: end-to-end at ${pct(x)} of extraction alone (target ≥ 80%, i.e. writing ${report.format} costs ≤ 20%: ${x >= 0.8 ? 'met' : 'NOT met'})`;
      });
    if (checks.length > 0 && (report.repeat ?? 1) <= 1) out.push(`${checks.join('\n')}\n`);
    if ((report.repeat ?? 1) > 1) out.push(`${repeatedSummary(free).join('\n')}\n`);
    if (report.heapCapMiB !== undefined) {
      out.push(
        report.heapCapMiB > 0
          ? `Every worker ran with \`--max-old-space-size=${report.heapCapMiB}\` (the ExtractStep Lambda's heap cap).\n`
          : "Workers ran with Node's default heap ceiling (uncapped).\n",
      );
    }
    if (report.sandboxes.length > 0) {
      out.push(
        `Sandbox peak RSS: ${report.sandboxes.map((s) => `${s.peakRssMiB} MiB at ${s.users.toLocaleString('en-US')} users`).join(', ')}. ` +
          'Runs write to a local temporary folder (`--out <tmp>`), full re-sync, every status. ' +
          `"(cap)": stopped after ${report.capSeconds} s, records/s over the records read so far (nothing committed).\n`,
      );
    }
  }
  const limited = report.rows.filter((r) => r.rateLimited);
  for (const r of limited) {
    const allowed = report.bucketPerMinute * report.share;
    out.push(
      `Under a rate limit (users bucket ${report.bucketPerMinute}/min, okta-flow at ${Math.round(report.share * 100)}% = ${allowed}/min allowed), ${r.users.toLocaleString('en-US')} users, ${r.flow}:\n`,
    );
    if (r.error !== undefined) {
      out.push(`Failed: ${r.error.slice(0, 300)}\n`);
      continue;
    }
    const fullMinutes = r.perMinute.slice(0, Math.floor(r.seconds / 60));
    const mean = fullMinutes.length > 0 ? fullMinutes.reduce((a, b) => a + b, 0) / fullMinutes.length : null;
    // Okta counts per window: the busiest minute (partial ones included) is what must stay within the share.
    const busiest = r.perMinute.length > 0 ? Math.max(...r.perMinute) : 0;
    out.push(
      markdownTable(
        [
          'records',
          'seconds',
          'records/s',
          'requests/min (each full minute)',
          'of allowed (full minutes)',
          'busiest minute',
          'within the share',
          '429s',
          'governor wait s',
          'peak RSS MiB',
        ],
        [
          [
            `${r.records.toLocaleString('en-US')}${r.complete ? '' : ' (cap)'}`,
            r.seconds.toFixed(1),
            r.recordsPerSecond.toLocaleString('en-US'),
            fullMinutes.join(', ') || 'n/a (under a minute)',
            mean === null ? 'n/a' : pct(mean / allowed),
            String(busiest),
            busiest <= allowed * 1.02 ? 'yes' : `NO (${pct(busiest / allowed)})`,
            String(r.sandbox429 ?? r.throttled),
            (r.rateLimitWaitMs / 1000).toFixed(1),
            r.peakRssMiB.toFixed(1),
          ],
        ],
      ),
      '',
    );
  }
  return out.join('\n');
}

const spread = (xs: readonly number[], f: (x: number) => string): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${f(sorted[0] ?? Number.NaN)} / ${f(median)} / ${f(sorted.at(-1) ?? Number.NaN)}`;
};

/** min / median / max per users count and flow over the repetitions. */
function repeatedSummary(rows: readonly EndToEndRow[]): string[] {
  const groups = new Map<string, EndToEndRow[]>();
  for (const r of rows) {
    if (r.error !== undefined) continue;
    const key = `${r.users.toLocaleString('en-US')} users, ${r.flow}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].map(([key, rs]) => {
    const ratios = rs
      .filter((r) => r.extractRecordsPerSecond)
      .map((r) => r.recordsPerSecond / (r.extractRecordsPerSecond ?? 1));
    const ratio =
      ratios.length > 0 && !key.includes('baseline') ? `, end-to-end / extraction ${spread(ratios, pct)}` : '';
    return `- ${key} (${rs.length} run${rs.length === 1 ? '' : 's'}, min / median / max): records/s ${spread(
      rs.map((r) => r.recordsPerSecond),
      (x) => Math.round(x).toLocaleString('en-US'),
    )}${ratio}, peak RSS MiB ${spread(
      rs.map((r) => r.peakRssMiB),
      (x) => x.toFixed(0),
    )}`;
  });
}
