import { describe, expect, it } from 'vitest';
import { type PlannedFlow, planWindow, WindowPlanError } from '../../../lambdas/flow/plan-window.js';
import { type FlowState, initialFlowState } from '../../../lambdas/flow/state/flow-state.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const users: PlannedFlow = { name: 'users-hourly', object: 'User', mode: 'incremental', overlapSeconds: 300 };
const groups: PlannedFlow = { name: 'groups-daily', object: 'Group', mode: 'full', overlapSeconds: 300 };
const apps: PlannedFlow = { name: 'apps-daily', object: 'Application', mode: 'full', overlapSeconds: 300 };
const schedule = { kind: 'schedule' } as const;
const manual = { kind: 'manual' } as const;

function withWatermark(watermark: string): FlowState {
  return { ...initialFlowState('users-hourly'), watermark };
}

function planError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WindowPlanError);
    return (error as Error).message;
  }
  throw new Error('expected planWindow to throw');
}

describe('planWindow', () => {
  it('incremental: [watermark - overlap, now), fixed at plan time, advancing to now', () => {
    expect(
      planWindow({ flow: users, state: withWatermark('2026-03-10T11:00:00.000Z'), trigger: schedule, now: NOW }),
    ).toEqual({
      mode: 'incremental',
      window: { from: '2026-03-10T10:55:00.000Z', to: '2026-03-10T12:00:00.000Z' },
      reason: 'incremental: from the watermark 2026-03-10T11:00:00.000Z minus 300 s overlap',
      advancesWatermarkTo: '2026-03-10T12:00:00.000Z',
    });
  });

  it('a manual run without overrides plans like a scheduled one', () => {
    const state = withWatermark('2026-03-10T11:00:00.000Z');
    expect(planWindow({ flow: users, state, trigger: manual, now: NOW })).toEqual(
      planWindow({ flow: users, state, trigger: schedule, now: NOW }),
    );
  });

  it('first incremental run starts at firstExecutionFrom', () => {
    const flow = { ...users, firstExecutionFrom: '2026-01-01T00:00:00+01:00' };
    expect(planWindow({ flow, state: null, trigger: schedule, now: NOW })).toEqual({
      mode: 'incremental',
      window: { from: '2025-12-31T23:00:00.000Z', to: '2026-03-10T12:00:00.000Z' },
      reason: 'first incremental run: from firstExecutionFrom 2025-12-31T23:00:00.000Z',
      advancesWatermarkTo: '2026-03-10T12:00:00.000Z',
    });
  });

  it('first incremental run without firstExecutionFrom is a full load (also when the state has no watermark yet)', () => {
    const expected = {
      mode: 'full',
      window: { to: '2026-03-10T12:00:00.000Z' },
      reason: 'first incremental run without firstExecutionFrom: full load, every record as of now',
      advancesWatermarkTo: '2026-03-10T12:00:00.000Z',
    };
    expect(planWindow({ flow: users, state: null, trigger: schedule, now: NOW })).toEqual(expected);
    expect(planWindow({ flow: users, state: initialFlowState('users-hourly'), trigger: schedule, now: NOW })).toEqual(
      expected,
    );
  });

  it('full flows copy every record as of now, whatever the watermark', () => {
    expect(
      planWindow({ flow: groups, state: withWatermark('2026-03-09T12:00:00.000Z'), trigger: schedule, now: NOW }),
    ).toEqual({
      mode: 'full',
      window: { to: '2026-03-10T12:00:00.000Z' },
      reason: 'full flow: every record as of now',
      advancesWatermarkTo: '2026-03-10T12:00:00.000Z',
    });
  });

  it('fullResync ignores the watermark', () => {
    expect(
      planWindow({
        flow: users,
        state: withWatermark('2026-03-10T11:00:00.000Z'),
        trigger: { kind: 'manual', fullResync: true },
        now: NOW,
      }),
    ).toEqual({
      mode: 'full',
      window: { to: '2026-03-10T12:00:00.000Z' },
      reason: 'full re-sync requested: every record as of now',
      advancesWatermarkTo: '2026-03-10T12:00:00.000Z',
    });
  });

  describe('manual window overrides', () => {
    const state = withWatermark('2026-03-10T00:00:00.000Z');

    it('a backfill inside covered time does not move the watermark', () => {
      const plan = planWindow({
        flow: users,
        state,
        trigger: { kind: 'manual', from: '2026-03-01', to: '2026-03-02T00:00:00Z' },
        now: NOW,
      });
      expect(plan).toEqual({
        mode: 'incremental',
        window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
        reason: 'manual window override [2026-03-01T00:00:00.000Z, 2026-03-02T00:00:00.000Z)',
        advancesWatermarkTo: null,
      });
    });

    it('a window that starts inside coverage and ends after the watermark moves it', () => {
      const plan = planWindow({
        flow: users,
        state,
        trigger: { kind: 'manual', from: '2026-03-09T00:00:00Z' },
        now: NOW,
      });
      expect(plan.window).toEqual({ from: '2026-03-09T00:00:00.000Z', to: '2026-03-10T12:00:00.000Z' });
      expect(plan.advancesWatermarkTo).toBe('2026-03-10T12:00:00.000Z');
    });

    it('a window that leaves a gap after the watermark does not move it', () => {
      const plan = planWindow({
        flow: users,
        state,
        trigger: { kind: 'manual', from: '2026-03-10T06:00:00Z' },
        now: NOW,
      });
      expect(plan.advancesWatermarkTo).toBeNull();
    });

    it('"to" alone starts at the watermark minus overlap', () => {
      const plan = planWindow({
        flow: users,
        state,
        trigger: { kind: 'manual', to: '2026-03-10T06:00:00Z' },
        now: NOW,
      });
      expect(plan.window).toEqual({ from: '2026-03-09T23:55:00.000Z', to: '2026-03-10T06:00:00.000Z' });
      expect(plan.advancesWatermarkTo).toBe('2026-03-10T06:00:00.000Z');
    });

    it('"to" alone on a first run with no firstExecutionFrom has no lower bound and moves the watermark', () => {
      const plan = planWindow({
        flow: users,
        state: null,
        trigger: { kind: 'manual', to: '2026-03-10T06:00:00Z' },
        now: NOW,
      });
      expect(plan).toMatchObject({ mode: 'incremental', window: { to: '2026-03-10T06:00:00.000Z' } });
      expect(plan.window.from).toBeUndefined();
      expect(plan.advancesWatermarkTo).toBe('2026-03-10T06:00:00.000Z');
    });

    it('on a first run, a window starting at or before firstExecutionFrom moves the watermark, a later one does not', () => {
      const flow = { ...users, firstExecutionFrom: '2026-01-01T00:00:00Z' };
      const early = planWindow({
        flow,
        state: null,
        trigger: { kind: 'manual', to: '2026-02-01T00:00:00Z' },
        now: NOW,
      });
      expect(early.window.from).toBe('2026-01-01T00:00:00.000Z');
      expect(early.advancesWatermarkTo).toBe('2026-02-01T00:00:00.000Z');
      const late = planWindow({
        flow,
        state: null,
        trigger: { kind: 'manual', from: '2026-01-15T00:00:00Z' },
        now: NOW,
      });
      expect(late.advancesWatermarkTo).toBeNull();
    });

    it('works on full flows of objects with a cursor', () => {
      const plan = planWindow({
        flow: groups,
        state: null,
        trigger: { kind: 'manual', from: '2026-03-01T00:00:00Z' },
        now: NOW,
      });
      expect(plan.mode).toBe('incremental');
    });
  });

  it.each<[string, Parameters<typeof planWindow>[0], string]>([
    [
      'from after to',
      {
        flow: users,
        state: null,
        trigger: { kind: 'manual', from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        now: NOW,
      },
      'Flow "users-hourly": the window [2026-03-02T00:00:00.000Z, 2026-03-01T00:00:00.000Z) is empty: "from" must be before "to"',
    ],
    [
      'from equal to to',
      {
        flow: users,
        state: null,
        trigger: { kind: 'manual', from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        now: NOW,
      },
      'Flow "users-hourly": the window [2026-03-01T00:00:00.000Z, 2026-03-01T00:00:00.000Z) is empty: "from" must be before "to"',
    ],
    [
      'to in the future',
      { flow: users, state: null, trigger: { kind: 'manual', to: '2026-03-11T00:00:00Z' }, now: NOW },
      'Flow "users-hourly": "to" 2026-03-11T00:00:00.000Z is in the future (now 2026-03-10T12:00:00.000Z)',
    ],
    [
      'from in the future',
      { flow: users, state: null, trigger: { kind: 'manual', from: '2026-03-10T12:00:00Z' }, now: NOW },
      'Flow "users-hourly": "from" 2026-03-10T12:00:00.000Z is not in the past (now 2026-03-10T12:00:00.000Z)',
    ],
    [
      'unparseable from',
      { flow: users, state: null, trigger: { kind: 'manual', from: 'yesterday' }, now: NOW },
      'Flow "users-hourly": from "yesterday" is not an ISO-8601 date-time (e.g. "2026-01-01T00:00:00Z")',
    ],
    [
      'impossible date',
      { flow: users, state: null, trigger: { kind: 'manual', to: '2026-02-30' }, now: NOW },
      'Flow "users-hourly": to "2026-02-30" is not an ISO-8601 date-time (e.g. "2026-01-01T00:00:00Z")',
    ],
    [
      'fullResync with a window',
      {
        flow: users,
        state: null,
        trigger: { kind: 'manual', fullResync: true, from: '2026-03-01T00:00:00Z' },
        now: NOW,
      },
      'Flow "users-hourly": a full re-sync copies everything up to now; drop "from" and "to", or drop "fullResync"',
    ],
    [
      'window on an object without a cursor',
      { flow: apps, state: null, trigger: { kind: 'manual', from: '2026-03-01T00:00:00Z' }, now: NOW },
      'Flow "apps-daily": Application has no lastUpdated cursor, so a run cannot be limited to a window: run it without "from" and "to" (a full copy)',
    ],
    [
      'watermark in the future',
      { flow: users, state: withWatermark('2026-03-10T13:00:00.000Z'), trigger: schedule, now: NOW },
      'Flow "users-hourly": the state watermark 2026-03-10T13:00:00.000Z is after now (2026-03-10T12:00:00.000Z): the clock went back or the state was edited. Start a run with {"fullResync": true} to reset it.',
    ],
    [
      'firstExecutionFrom in the future',
      { flow: { ...users, firstExecutionFrom: '2026-04-01T00:00:00Z' }, state: null, trigger: schedule, now: NOW },
      'Flow "users-hourly": firstExecutionFrom 2026-04-01T00:00:00.000Z is not in the past (now 2026-03-10T12:00:00.000Z): there is nothing to copy yet. Set it to a past date, or wait.',
    ],
  ])('refuses %s with a clear message', (_name, args, message) => {
    expect(planError(() => planWindow(args))).toBe(message);
  });
});
