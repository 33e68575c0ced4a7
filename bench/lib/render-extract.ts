/** Markdown for an extraction benchmark report (bench/extract.ts prints it; bench/run-all.ts puts it in BENCHMARKS.md). */
import type { ExtractReport, VariantResult } from './extract-variants.js';
import { markdownTable } from './markdown-table.js';

const LABEL: Record<string, string> = {
  plain: 'plain fetch loop (ceiling)',
  sdk: '@okta/okta-sdk-nodejs listUsers',
  sequential: 'okta-flow extract, sequential',
  sliced: 'okta-flow extract, sliced',
};

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function renderExtract(report: ExtractReport): string {
  const out: string[] = [];
  const { settings } = report;
  out.push(
    'On loopback the sandbox answers a page in milliseconds, one request at a time on one core, so without added ' +
      'latency every variant is bound by how fast the sandbox serves and slicing cannot multiply throughput (the ' +
      'concurrent requests only queue in the sandbox). Against Okta a page takes hundreds of milliseconds; the run ' +
      'with latency per page shows what slicing buys there.\n',
  );
  for (const run of report.runs) {
    const by = (v: string): VariantResult | undefined => run.variants.find((r) => r.variant === v && !r.error);
    const plain = by('plain');
    const sdk = by('sdk');
    const latency = run.latencyMs ?? 0;
    out.push(
      `#### ${run.users.toLocaleString('en-US')} users${latency > 0 ? `, ${latency} ms of latency per page (Okta-like)` : ''}\n`,
    );
    out.push(
      markdownTable(
        [
          'variant',
          'records',
          'seconds',
          'records/s',
          'requests/s',
          'vs plain',
          'vs SDK',
          'peak RSS MiB',
          'RSS at start MiB',
          '429s',
        ],
        run.variants.map((r) =>
          r.error !== undefined
            ? [LABEL[r.variant] ?? r.variant, `failed: ${r.error.slice(0, 120)}`, '', '', '', '', '', '', '', '']
            : [
                LABEL[r.variant] ?? r.variant,
                `${r.records.toLocaleString('en-US')}${r.complete ? '' : ' (cap)'}`,
                r.seconds.toFixed(1),
                r.recordsPerSecond.toLocaleString('en-US'),
                r.requestsPerSecond.toFixed(1),
                plain ? pct(ratio(r.recordsPerSecond, plain.recordsPerSecond)) : 'n/a',
                sdk ? times(ratio(r.recordsPerSecond, sdk.recordsPerSecond)) : 'n/a',
                r.peakRssMiB.toFixed(1),
                r.startRssMiB.toFixed(1),
                String(r.http429),
              ],
        ),
      ),
      '',
    );
    const sequential = by('sequential');
    const sliced = by('sliced');
    const targets: string[] = [];
    if (sequential && plain) {
      const x = ratio(sequential.recordsPerSecond, plain.recordsPerSecond);
      targets.push(`sequential = ${pct(x)} of the plain loop (target ≥ 90%: ${mark(x >= 0.9)})`);
    }
    if (sliced && sdk) {
      const x = ratio(sliced.recordsPerSecond, sdk.recordsPerSecond);
      targets.push(`sliced = ${times(x)} the SDK (target ≥ 3× on 1M users: ${mark(x >= 3)})`);
    }
    const flow = [sequential, sliced].filter((r): r is VariantResult => r !== undefined);
    if (flow.length > 0) {
      const peak = Math.max(...flow.map((r) => r.peakRssMiB));
      targets.push(`okta-flow peak RSS ${peak.toFixed(1)} MiB (target < 200 MiB: ${mark(peak < 200)})`);
    }
    out.push(
      `Sandbox: started in ${run.sandboxStartSeconds} s, peak RSS ${run.sandboxPeakRssMiB} MiB. ` +
        `Sliced: ${settings.slices} slices on \`created\`, concurrency ${settings.concurrency}. ` +
        `Each variant stops by itself after ${settings.capSeconds} s ("(cap)")` +
        (run.variants.some((v) => (v.attempts ?? 1) > 1)
          ? `; best of ${settings.repeat} interleaved runs (all records/s: ${run.variants
              .map((r) => `${r.variant} ${(r.allRecordsPerSecond ?? [r.recordsPerSecond]).join('/')}`)
              .join(', ')}).\n`
          : '.\n'),
    );
    if (targets.length > 0) out.push(`${targets.map((t) => `- ${t}`).join('\n')}\n`);
  }

  const rl = report.rateLimited;
  if (rl !== null) {
    out.push(
      `#### Under a rate limit: users bucket ${rl.bucketPerMinute}/min, okta-flow at ${Math.round(rl.share * 100)}% share\n`,
    );
    if (rl.error !== undefined) {
      out.push(`Failed: ${rl.error.slice(0, 300)}\n`);
    } else {
      const steadyMinutes = rl.perMinute.slice(1);
      const steady = steadyMinutes.length > 0 ? steadyMinutes.reduce((a, b) => a + b, 0) / steadyMinutes.length : null;
      out.push(
        markdownTable(
          [
            'allowed/min',
            'achieved/min (each full minute)',
            'achieved/min (whole run)',
            'of allowed',
            '429s (all)',
            '429s after 1st minute',
            'records',
            'seconds',
            'peak RSS MiB',
          ],
          [
            [
              String(rl.allowedPerMinute),
              rl.perMinute.join(', ') || 'n/a (under a minute)',
              rl.averagePerMinute.toFixed(1),
              pct(ratio(steady ?? rl.averagePerMinute, rl.allowedPerMinute)),
              String(rl.http429),
              String(rl.steady429),
              rl.records.toLocaleString('en-US'),
              rl.seconds.toFixed(0),
              rl.peakRssMiB.toFixed(1),
            ],
          ],
        ),
        '',
      );
      const share = ratio(steady ?? rl.averagePerMinute, rl.allowedPerMinute);
      out.push(
        `- ${rl.note}, ${rl.users.toLocaleString('en-US')} users, stopped after ${rl.seconds.toFixed(0)} s. ` +
          `"of allowed" uses the minutes after the first (steady state) when there are any. ` +
          `Governor waits (ms): ${Object.entries(rl.waitsMs)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}.`,
        `- target ≥ 90% of the allowed share: ${mark(share >= 0.9)}; no 429s in steady state: ${mark(rl.steady429 === 0)}\n`,
      );
    }
  }
  return out.join('\n');
}
