/** The summary table printed after runs: what each flow wrote and where. */
import type { RunCompletedDetail } from '../../lambdas/flow/events.js';
import { formatBytes, formatTable } from './table.js';

export interface RunSummaryRow {
  readonly flow: string;
  readonly status: 'committed' | 'failed';
  readonly detail?: RunCompletedDetail;
  readonly error?: string;
}

export function summaryTable(rows: readonly RunSummaryRow[]): string {
  return formatTable(
    ['flow', 'object', 'status', 'mode', 'window', 'records', 'deletes', 'files', 'bytes', 'seconds'],
    rows.map((r) => {
      const d = r.detail;
      if (d === undefined) return [r.flow, '', r.status, '', '', '', '', '', '', ''];
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
      ];
    }),
  );
}
