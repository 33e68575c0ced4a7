/** The summary table printed after runs: what each flow wrote, what it dropped or was warned about, and where. */
import type { RunCompletedDetail, RunCounts, RunWarning } from '../../lambdas/flow/events.js';
import { formatBytes, formatTable } from './table.js';

export interface RunSummaryRow {
  readonly flow: string;
  readonly status: 'committed' | 'failed';
  readonly detail?: RunCompletedDetail;
  readonly error?: string;
  /** What a failed run had counted before it failed (nothing of it was committed). */
  readonly counts?: RunCounts;
  /** The Okta client's warnings (of a failed run too). */
  readonly warnings?: readonly RunWarning[];
}

export function summaryTable(rows: readonly RunSummaryRow[]): string {
  return formatTable(
    [
      'flow',
      'object',
      'status',
      'mode',
      'window',
      'records',
      'deletes',
      'files',
      'bytes',
      'seconds',
      'duplicates dropped',
      'rate-limit wait s',
      'warnings',
    ],
    rows.map((r) => {
      const d = r.detail;
      const counts = d?.counts ?? r.counts;
      const tail = counts
        ? [String(counts.duplicates), (counts.rateLimitWaitMs / 1000).toFixed(1), String(counts.warnings)]
        : ['', '', ''];
      if (d === undefined) return [r.flow, '', r.status, '', '', '', '', '', '', '', ...tail];
      return [
        r.flow,
        d.objects.join(','),
        r.status,
        d.mode,
        `${d.window.from ?? '…'} → ${d.window.to}`,
        String(d.counts.records),
        String(d.counts.deletes),
        String(d.counts.files),
        formatBytes(d.counts.bytes),
        (d.durationMs / 1000).toFixed(1),
        ...tail,
      ];
    }),
  );
}

/** One line per kind of warning of each run: `users-hourly: warning okta.pagination.link-missing (×2): …`. */
export function warningLines(rows: readonly RunSummaryRow[]): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    for (const w of row.detail?.warnings ?? row.warnings ?? []) {
      lines.push(`${row.flow}: warning ${w.code}${w.count > 1 ? ` (×${w.count})` : ''}: ${w.message}`);
    }
  }
  return lines;
}
