/** Small pure pieces of the runner: run ids, part indexes, tombstones, System Log queries, CLI tables. */
import { describe, expect, it } from 'vitest';
import { describeObject } from '../../../../bin/commands/describe.js';
import { formatBytes, formatTable } from '../../../../bin/commands/table.js';
import { snapshotTombstones } from '../../../../lambdas/flow/deletes/snapshot-diff.js';
import { deleteEventsFilter, deleteEventsSince } from '../../../../lambdas/flow/deletes/system-log-deletes.js';
import { emptyRunCounts } from '../../../../lambdas/flow/events.js';
import { partIndexOf } from '../../../../lambdas/flow/runner/checkpoint.js';
import { addCounts } from '../../../../lambdas/flow/runner/counts.js';
import { newRunId } from '../../../../lambdas/flow/runner/run-id.js';
import { runKeyPrefix } from '../../../../lambdas/output/keys.js';

describe('run ids', () => {
  it('start with the plan time (sortable, gives the dt of a crashed run) and are valid output keys', () => {
    const id = newRunId(Date.UTC(2026, 10, 22, 12, 3, 4, 567), () => 'a1b2c3');
    expect(id).toBe('20261122T120304Z-a1b2c3');
    expect(() => runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2026-11-22', runId: id })).not.toThrow();
    expect(newRunId(0)).not.toBe(newRunId(0));
  });
});

describe('part indexes', () => {
  it('read the index of labelled part keys, and refuse other keys', () => {
    expect(partIndexOf('okta/User/dt=2026-01-01/run_id=r/part-t03-00012.parquet')).toBe(12);
    expect(partIndexOf('okta/User/dt=2026-01-01/run_id=r/part-deletes-00000.csv.gz')).toBe(0);
    expect(() => partIndexOf('okta/User/dt=2026-01-01/run_id=r/_manifest.json')).toThrow(/not a part file key/);
  });
});

describe('tombstones from a snapshot diff', () => {
  it('are the previous ids missing now, in the previous order', () => {
    const t = snapshotTombstones('Group', ['a', 'b', 'c', 'd'], new Set(['a', 'c', 'e']), '2026-01-01T00:00:00.000Z');
    expect(t.map((x) => x.id)).toEqual(['b', 'd']);
    expect(t[0]).toEqual({
      id: 'b',
      object: 'Group',
      deleted_at: '2026-01-01T00:00:00.000Z',
      source: 'snapshot-diff',
      event_id: null,
    });
  });
});

describe('System Log delete queries', () => {
  it('ask the LogEvent stream for the object delete event, from the window start', () => {
    expect(deleteEventsFilter('User')).toEqual({
      kind: 'compare',
      field: 'event_type',
      op: 'EQUAL_TO',
      value: 'user.lifecycle.delete.completed',
    });
    expect(deleteEventsFilter('UserType')).toBeNull();
    const now = Date.parse('2026-01-02T00:00:00.000Z');
    expect(deleteEventsSince('2026-01-01T00:00:00.000Z', now)).toBe('2026-01-01T00:00:00.000Z');
  });

  it('never ask for more than the 90 days Okta keeps', () => {
    const now = Date.parse('2026-07-01T00:00:00.000Z');
    const since = Date.parse(deleteEventsSince('2020-01-01T00:00:00.000Z', now));
    expect(now - since).toBe(90 * 86_400_000 - 60_000);
  });
});

describe('counts', () => {
  it('add field by field', () => {
    expect(addCounts({ ...emptyRunCounts(), records: 2, bytes: 10 }, { records: 3, throttled: 1 })).toEqual({
      ...emptyRunCounts(),
      records: 5,
      bytes: 10,
      throttled: 1,
    });
  });
});

describe('CLI tables and describe', () => {
  it('aligns columns and formats sizes', () => {
    expect(formatTable(['a', 'bb'], [['xxx', 'y']])).toBe('a    bb\n---  --\nxxx  y');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });

  it('describes an object with its cursor, slice fields and push-down per operator', () => {
    const d = describeObject('Application');
    expect(d.cursorField).toBeNull();
    expect(d.sliceFields).toEqual([]);
    const status = d.fields.find((f) => f.column === 'status');
    expect(status?.operators).toContain('EQUAL_TO');
    expect(() => describeObject('Users')).toThrow();
  });
});
