import { describe, expect, it } from 'vitest';
import {
  emptyRunCounts,
  parseInstant,
  parseRunInput,
  type RunCompletedDetail,
  RunInputError,
  runEventEntry,
} from '../../../lambdas/flow/events.js';

const TAIL =
  'A run input looks like {"flow": "users-hourly"}, optionally with "from" and "to" (ISO-8601, e.g. "2026-01-01T00:00:00Z") or "fullResync": true.';

function message(raw: unknown): string {
  try {
    parseRunInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(RunInputError);
    return (error as Error).message;
  }
  throw new Error('expected parseRunInput to throw');
}

describe('parseRunInput', () => {
  it('accepts what a person types in the console, with defaults and canonical instants', () => {
    expect(parseRunInput({ flow: 'users-hourly' })).toEqual({ flow: 'users-hourly', trigger: 'manual' });
    expect(parseRunInput({ flow: 'users-hourly', from: '2026-01-01', to: '2026-01-01T12:00+02:00' })).toEqual({
      flow: 'users-hourly',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-01T10:00:00.000Z',
      trigger: 'manual',
    });
    expect(parseRunInput({ flow: 'groups-daily', fullResync: true })).toEqual({
      flow: 'groups-daily',
      fullResync: true,
      trigger: 'manual',
    });
    expect(parseRunInput({ flow: 'users-hourly', trigger: 'schedule', scheduledTime: '2026-01-01T10:00:00Z' })).toEqual(
      { flow: 'users-hourly', trigger: 'schedule', scheduledTime: '2026-01-01T10:00:00.000Z' },
    );
  });

  it.each<[string, unknown, string]>([
    ['nothing', undefined, 'the input is empty'],
    ['null', null, 'the input is empty'],
    ['a bare string', 'users-hourly', 'the input: expected an object, got "users-hourly"'],
    ['a list', [{ flow: 'users-hourly' }], 'the input: expected an object, got a list'],
    ['no flow', {}, 'flow: is required. Example: "users-hourly"'],
    [
      'the console default input',
      { Comment: 'Insert your JSON here' },
      'flow: is required. Example: "users-hourly"; Comment: unknown key (known keys: flow, from, to, fullResync, trigger, scheduledTime)',
    ],
    ['a number as flow', { flow: 5 }, 'flow: expected a string, got 5. Example: "users-hourly"'],
    [
      'a display name as flow',
      { flow: 'Users Hourly' },
      'flow: "Users Hourly" is not a flow name (kebab-case, as in the config). Example: "users-hourly"',
    ],
    [
      'a relative date',
      { flow: 'users-hourly', from: 'yesterday' },
      'from: "yesterday" is not an ISO-8601 date-time (with Z or an offset) or date. Example: "2026-01-01T00:00:00Z"',
    ],
    [
      'an impossible date',
      { flow: 'users-hourly', to: '2026-02-30' },
      'to: "2026-02-30" is not an ISO-8601 date-time (with Z or an offset) or date. Example: "2026-01-01T00:00:00Z"',
    ],
    [
      'a date-time without a zone',
      { flow: 'users-hourly', from: '2026-01-01T00:00:00' },
      'from: "2026-01-01T00:00:00" is not an ISO-8601 date-time (with Z or an offset) or date. Example: "2026-01-01T00:00:00Z"',
    ],
    [
      'an epoch number',
      { flow: 'users-hourly', from: 1767225600000 },
      'from: expected a string, got 1767225600000. Example: "2026-01-01T00:00:00Z"',
    ],
    [
      'from after to',
      { flow: 'users-hourly', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      'to: 2026-01-01T00:00:00.000Z is not after "from" (2026-01-02T00:00:00.000Z); the window is [from, to). Example: {"flow":"users-hourly","from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}',
    ],
    [
      'fullResync as a string',
      { flow: 'users-hourly', fullResync: 'yes' },
      'fullResync: expected a boolean, got "yes". Example: true',
    ],
    [
      'fullResync with a window',
      { flow: 'users-hourly', fullResync: true, from: '2026-01-01' },
      'fullResync: a full re-sync copies everything up to now, so it cannot be combined with "from" or "to". Example: {"flow":"users-hourly","fullResync":true}',
    ],
    [
      'a misspelt key',
      { flow: 'users-hourly', fullresync: true },
      'fullresync: unknown key (did you mean "fullResync"?). Example: "fullResync"',
    ],
    [
      'an unknown trigger',
      { flow: 'users-hourly', trigger: 'cron' },
      'trigger: "cron" is not one of "schedule", "manual". Example: "manual"',
    ],
  ])('rejects %s', (_name, raw, problems) => {
    expect(message(raw)).toBe(`Invalid run input: ${problems}. ${TAIL}`);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-01-01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T10:00Z', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00:00.5Z', '2026-01-01T10:00:00.500Z'],
    ['2026-01-01T10:00:00.123456789Z', '2026-01-01T10:00:00.123Z'],
    ['2026-01-01T00:30:00-05:30', '2026-01-01T06:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseInstant(text) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T10:60Z', '2026-1-1', 'now', ''])(
    'refuses %s',
    (text) => {
      expect(parseInstant(text)).toBeNull();
    },
  );
});

describe('runEventEntry', () => {
  const completed: RunCompletedDetail = {
    version: '1',
    flow: 'users-hourly',
    runId: 'users-hourly-20260310T120000Z',
    objects: ['User'],
    mode: 'incremental',
    trigger: 'schedule',
    window: { from: '2026-03-10T10:55:00.000Z', to: '2026-03-10T12:00:00.000Z' },
    startedAt: '2026-03-10T12:00:00.000Z',
    endedAt: '2026-03-10T12:01:30.000Z',
    durationMs: 90_000,
    counts: { ...emptyRunCounts(), records: 1200, pages: 6, files: 1, bytes: 524_288 },
    countsByObject: { User: { ...emptyRunCounts(), records: 1200, pages: 6, files: 1, bytes: 524_288 } },
    manifests: ['okta/User/dt=2026-03-10/run_id=users-hourly-20260310T120000Z/_manifest.json'],
    watermark: '2026-03-10T12:00:00.000Z',
  };

  it('builds an AppFlow-like EventBridge entry', () => {
    const entry = runEventEntry('completed', completed, 'default');
    expect(entry).toMatchObject({ Source: 'okta-flow', DetailType: 'Run Completed', EventBusName: 'default' });
    expect(JSON.parse(entry.Detail ?? '')).toEqual(completed);
    expect(runEventEntry('started', { ...completed, reason: 'incremental' }).DetailType).toBe('Run Started');
    expect(runEventEntry('started', { ...completed, reason: 'incremental' }).EventBusName).toBeUndefined();
  });

  it('refuses a detail that does not have the documented shape', () => {
    const broken = { ...completed, counts: { records: -1 } } as unknown as RunCompletedDetail;
    expect(() => runEventEntry('completed', broken)).toThrow();
  });
});
