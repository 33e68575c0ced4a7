/** The CLI's run summary and progress line: what a person sees about duplicates, warnings and rate-limit waits. */
import { describe, expect, it } from 'vitest';
import { waitingText } from '../../../bin/commands/progress.js';
import { type RunSummaryRow, summaryTable, warningLines } from '../../../bin/commands/summary.js';
import { emptyRunCounts, type RunCompletedDetail } from '../../../lambdas/flow/events.js';

const detail: RunCompletedDetail = {
  version: '1',
  flow: 'users',
  runId: 'r1',
  objects: ['User'],
  mode: 'full',
  trigger: 'manual',
  window: { to: '2026-01-01T00:00:00.000Z' },
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:10.000Z',
  durationMs: 10_000,
  counts: { ...emptyRunCounts(), records: 25, duplicates: 4, rateLimitWaitMs: 1_500, warnings: 3 },
  countsByObject: {},
  manifests: [],
  watermark: null,
  warnings: [
    { code: 'okta.pagination.link-missing', message: 'A full page had no Link header.', count: 2 },
    { code: 'okta.oauth.rotation-conflict', message: 'Another process refreshed.', count: 1 },
  ],
};

function cell(table: string, row: string, column: string): string | undefined {
  const lines = table.split('\n');
  const columns = (lines[0] ?? '').split(/\s{2,}/);
  const cells = (lines.find((l) => l.startsWith(`${row} `)) ?? '').split(/\s{2,}/);
  return cells[columns.indexOf(column)];
}

describe('summary', () => {
  const rows: RunSummaryRow[] = [
    { flow: 'users', status: 'committed', detail },
    {
      flow: 'groups',
      status: 'failed',
      error: 'boom',
      counts: { ...emptyRunCounts(), duplicates: 1, warnings: 1 },
      warnings: [{ code: 'okta.pagination.link-missing', message: 'Missing.', count: 1 }],
    },
  ];

  it('shows duplicates dropped, the rate-limit wait and the warning count, for failed runs too', () => {
    const table = summaryTable(rows);
    expect(cell(table, 'users', 'records')).toBe('25');
    expect(cell(table, 'users', 'duplicates dropped')).toBe('4');
    expect(cell(table, 'users', 'rate-limit wait s')).toBe('1.5');
    expect(cell(table, 'users', 'warnings')).toBe('3');
    expect(table).toMatch(/groups\s+failed\s+1\s+0\.0\s+1/);
  });

  it('prints each kind of warning with its count', () => {
    expect(warningLines(rows)).toEqual([
      'users: warning okta.pagination.link-missing (×2): A full page had no Link header.',
      'users: warning okta.oauth.rotation-conflict: Another process refreshed.',
      'groups: warning okta.pagination.link-missing: Missing.',
    ]);
  });
});

describe('progress', () => {
  const base = { flow: 'users', object: 'User' as const, records: 0, pages: 0, rateLimitWaitMs: 0 };

  it('says which bucket a task waits for and how long is left, while the wait lasts', () => {
    const now = 1_000_000;
    const tasks = [
      { ...base, taskId: 't00', waiting: { bucket: 'GET /api/v1/users', untilMs: now + 41_200 } },
      { ...base, taskId: 't01', waiting: { bucket: 'GET /api/v1/users', untilMs: now + 5_000 } },
    ];
    expect(waitingText(tasks, now)).toBe(' | waiting 42 s for GET /api/v1/users to reset');
    expect(waitingText(tasks, now + 60_000)).toBe('');
    expect(waitingText([{ ...base, taskId: 't00' }], now)).toBe('');
  });
});
