import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import {
  ExtractRequestError,
  effectiveFilter,
  planSlices,
  type Slice,
} from '../../../../lambdas/okta/extract/index.js';

const users = getObjectDef('User');
const groups = getObjectDef('Group');
const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

/** Which slices contain instant t (half-open ranges, open ends unbounded). */
function owners(slices: readonly Slice[], t: string): string[] {
  return slices
    .filter((s) => (s.from === undefined || t >= s.from) && (s.to === undefined || t < s.to))
    .map((s) => s.id);
}

function expectContiguous(slices: readonly Slice[]) {
  for (let i = 1; i < slices.length; i++) {
    expect(slices[i]?.from).toBeDefined();
    expect(slices[i]?.from).toBe(slices[i - 1]?.to);
    expect(String(slices[i]?.from) > String(slices[i - 1]?.from ?? '')).toBe(true);
  }
}

describe('planSlices', () => {
  it('cuts a bounded window on last_updated into contiguous half-open slices', () => {
    const window = { from: iso(T), to: iso(T + 8 * DAY) };
    const slices = planSlices(users, window, { count: 4 });
    expect(slices.map((s) => [s.id, s.field, s.from, s.to])).toEqual([
      ['last_updated#1/4', 'last_updated', iso(T), iso(T + 2 * DAY)],
      ['last_updated#2/4', 'last_updated', iso(T + 2 * DAY), iso(T + 4 * DAY)],
      ['last_updated#3/4', 'last_updated', iso(T + 4 * DAY), iso(T + 6 * DAY)],
      ['last_updated#4/4', 'last_updated', iso(T + 6 * DAY), iso(T + 8 * DAY)],
    ]);
  });

  it('leaves the outer slices open when slicing on another field or an open window', () => {
    const slices = planSlices(
      users,
      { from: iso(T) },
      { field: 'created', count: 3, from: iso(T), to: iso(T + 3 * DAY) },
    );
    expect(slices[0]).toEqual({ id: 'created#1/3', field: 'created', to: iso(T + DAY) });
    expect(slices[2]).toEqual({ id: 'created#3/3', field: 'created', from: iso(T + 2 * DAY) });
    expectContiguous(slices);
    const open = planSlices(users, {}, { count: 2, from: iso(T), to: iso(T + 2 * DAY) });
    expect(open).toEqual([
      { id: 'last_updated#1/2', field: 'last_updated', to: iso(T + DAY) },
      { id: 'last_updated#2/2', field: 'last_updated', from: iso(T + DAY) },
    ]);
  });

  it('cuts by duration, the last slice shorter', () => {
    const slices = planSlices(users, { from: iso(T), to: iso(T + 5 * DAY) }, { sliceDurationMs: 2 * DAY });
    expect(slices.map((s) => [s.from, s.to])).toEqual([
      [iso(T), iso(T + 2 * DAY)],
      [iso(T + 2 * DAY), iso(T + 4 * DAY)],
      [iso(T + 4 * DAY), iso(T + 5 * DAY)],
    ]);
  });

  it('every instant falls in exactly one slice (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: 1, max: 30 * DAY }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: -10 * DAY, max: 450 * DAY }), { maxLength: 30 }),
        (start, length, count, openFrom, openTo, probes) => {
          const from = iso(T + start);
          const to = iso(T + start + length);
          const window = { ...(openFrom ? {} : { from }), ...(openTo ? {} : { to }) };
          const slices = planSlices(users, window, { count, from, to });
          expect(slices.length).toBeGreaterThanOrEqual(1);
          expect(slices.length).toBeLessThanOrEqual(count);
          expect(slices[0]?.from).toBe(window.from);
          expect(slices.at(-1)?.to).toBe(window.to);
          expectContiguous(slices);
          for (const p of [...probes.map((x) => T + x), T + start, T + start + length - 1]) {
            const t = iso(p);
            const inWindow =
              (window.from === undefined || t >= window.from) && (window.to === undefined || t < window.to);
            expect(owners(slices, t)).toHaveLength(inWindow ? 1 : 0);
          }
        },
      ),
    );
  });

  it('collapses slices narrower than a millisecond', () => {
    const slices = planSlices(users, { from: iso(T), to: iso(T + 3) }, { count: 10 });
    expect(slices.map((s) => [s.from, s.to])).toEqual([
      [iso(T), iso(T + 1)],
      [iso(T + 1), iso(T + 2)],
      [iso(T + 2), iso(T + 3)],
    ]);
  });

  it('refuses objects and fields that cannot be sliced, and spans it cannot cut', () => {
    expect(() => planSlices(getObjectDef('Application'), {}, { count: 2 })).toThrow(ExtractRequestError);
    expect(() => planSlices(getObjectDef('Device'), {}, { field: 'created', count: 2 })).toThrow(ExtractRequestError);
    expect(() => planSlices(users, {}, { count: 2 })).toThrow(/needs a span/);
    expect(() => planSlices(users, {}, { count: 0, from: iso(T), to: iso(T + DAY) })).toThrow(ExtractRequestError);
    expect(() => planSlices(users, {}, { sliceDurationMs: 1, from: iso(T), to: iso(T + DAY) })).toThrow(
      ExtractRequestError,
    );
    expect(planSlices(users, {}, { count: 1 })).toEqual([{ id: 'last_updated#1/1', field: 'last_updated' }]);
  });

  it('slice bounds become pushable filter terms (ge/lt; gt − 1 ms on groups)', () => {
    const [s] = planSlices(users, {}, { field: 'created', count: 2, from: iso(T), to: iso(T + 2 * DAY) }).slice(1);
    expect(effectiveFilter(users, null, undefined, s)).toEqual({
      kind: 'compare',
      field: 'created',
      op: 'GREATER_THAN_OR_EQUAL_TO',
      value: iso(T + DAY),
    });
    const g = { id: 'created#1/1', field: 'created', from: iso(T), to: iso(T + DAY) };
    expect(effectiveFilter(groups, null, undefined, g)).toEqual({
      kind: 'and',
      children: [
        { kind: 'compare', field: 'created', op: 'GREATER_THAN', value: iso(T - 1) },
        { kind: 'compare', field: 'created', op: 'LESS_THAN', value: iso(T + DAY) },
      ],
    });
    expect(() => effectiveFilter(getObjectDef('Device'), null, undefined, g)).toThrow(ExtractRequestError);
  });
});
