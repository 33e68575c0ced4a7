/**
 * Malformed inputs of every run Lambda, each with the message it must produce; none reaches the runner (the deps
 * factory throws if called). Plus the Step Functions error shape FailRun turns into the Run Failed event, the time
 * budget, and the Lambda environment check.
 */
import { describe, expect, it } from 'vitest';
import { deadlineFrom, readLambdaEnv } from '../../../../lambdas/flow/runner/lambda-deps.js';
import { failEventSchema, failInputFromEvent } from '../../../../lambdas/flow/runner/step-events.js';
import type { RunnerDeps } from '../../../../lambdas/flow/runner/types.js';
import { createCommitRunHandler } from '../../../../lambdas/handlers/commit-run.js';
import { createExtractStepHandler } from '../../../../lambdas/handlers/extract-step.js';
import { createFailRunHandler } from '../../../../lambdas/handlers/fail-run.js';
import { createPlanRunHandler } from '../../../../lambdas/handlers/plan-run.js';

const noDeps = (): RunnerDeps => {
  throw new Error('malformed input must be refused before any dependency is created');
};
const plan = createPlanRunHandler(noDeps);
const extract = createExtractStepHandler(noDeps);
const commit = createCommitRunHandler(noDeps);
const fail = createFailRunHandler(noDeps);

const run = {
  v: 1,
  flow: 'users-hourly',
  object: 'User',
  runId: '20260101T000000Z-abcdef',
  mode: 'incremental',
  window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' },
  reason: 'test',
  advancesWatermarkTo: '2026-01-01T01:00:00.000Z',
  trigger: 'manual',
  startedAt: '2026-01-01T01:00:00.000Z',
  keyPrefix: 'okta/User/dt=2026-01-01/run_id=20260101T000000Z-abcdef',
  deletesKeyPrefix: null,
  stateVersion: null,
  concurrency: 1,
};
const task = { taskId: 't00', kind: 'records', slice: null, partLabel: 't00' };

const cases: { name: string; call: () => Promise<unknown>; message: RegExp }[] = [
  { name: 'PlanRun: no input', call: () => plan(undefined), message: /Invalid run input: the input is empty/ },
  {
    name: 'PlanRun: a string',
    call: () => plan('users-hourly'),
    message: /Invalid run input: .*A run input looks like \{"flow": "users-hourly"\}/,
  },
  { name: 'PlanRun: no flow', call: () => plan({}), message: /Invalid run input: .*flow/ },
  {
    name: 'PlanRun: flow not kebab-case',
    call: () => plan({ flow: 'Users Hourly' }),
    message: /is not a flow name \(kebab-case/,
  },
  { name: 'PlanRun: unknown key', call: () => plan({ flow: 'users-hourly', form: '2026-01-01' }), message: /form/ },
  {
    name: 'PlanRun: bad from',
    call: () => plan({ flow: 'users-hourly', from: 'yesterday' }),
    message: /"yesterday" is not an ISO-8601 date-time/,
  },
  {
    name: 'PlanRun: to before from',
    call: () => plan({ flow: 'users-hourly', from: '2026-01-02', to: '2026-01-01' }),
    message: /is not after "from"/,
  },
  {
    name: 'PlanRun: fullResync with a window',
    call: () => plan({ flow: 'users-hourly', fullResync: true, from: '2026-01-01' }),
    message: /a full re-sync copies everything up to now, so it cannot be combined with "from" or "to"/,
  },
  {
    name: 'PlanRun: fullResync not boolean',
    call: () => plan({ flow: 'users-hourly', fullResync: 'yes' }),
    message: /fullResync/,
  },
  {
    name: 'ExtractStep: console input',
    call: () => extract({ flow: 'users-hourly' }),
    message: /Invalid ExtractStep event: run: .*start runs with the console input \{"flow": "<name>"\}/,
  },
  {
    name: 'ExtractStep: neither a lane nor a task',
    call: () => extract({ run }),
    message: /Invalid ExtractStep event: lane: .*The state machine passes \{"run": \{…\}, "lane": 0\}/,
  },
  {
    name: 'ExtractStep: bad part label',
    call: () => extract({ run, task: { ...task, partLabel: 'T 0' } }),
    message: /task\.partLabel/,
  },
  {
    name: 'ExtractStep: continuation with a foreign next link',
    call: () =>
      extract({
        run,
        task,
        continuation: {
          v: 1,
          okta: {
            v: 1,
            object: 'User',
            slice: null,
            window: null,
            filterHash: 'x',
            next: 'https://evil.example/api',
            pages: 1,
            scanned: 1,
            records: 1,
          },
          nextPartIndex: 1,
          counts: { records: 1, pages: 1, files: 1, bytes: 1, deletes: 0, rateLimitWaitMs: 0, throttled: 0 },
          invocations: 1,
        },
      }),
    message: /continuation\.okta\.next/,
  },
  {
    name: 'ExtractStep: unknown object',
    call: () => extract({ run: { ...run, object: 'Users' }, task }),
    message: /run\.object/,
  },
  {
    name: 'CommitRun: no results',
    call: () => commit({ run, results: [] }),
    message: /Invalid CommitRun event: results:/,
  },
  {
    name: 'CommitRun: run missing',
    call: () => commit({ results: [{ task, continuation: null, done: true }] }),
    message: /Invalid CommitRun event: run:/,
  },
  {
    name: 'FailRun: no error',
    call: () => fail({ run, input: { flow: 'users-hourly' } }),
    message: /Invalid FailRun event: error:/,
  },
];

describe('malformed step events', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.message.source}`, async () => {
      await expect(c.call()).rejects.toThrow(c.message);
    });
  }
});

describe('FailRun input from Step Functions', () => {
  it('a Lambda error: name and message come from the Cause JSON', () => {
    const input = failInputFromEvent(
      failEventSchema.parse({
        input: { flow: 'users-hourly' },
        error: {
          Error: 'LeaseHeldError',
          Cause: JSON.stringify({
            errorType: 'LeaseHeldError',
            errorMessage: 'Flow "users-hourly" is already running',
            trace: [],
          }),
        },
      }),
    );
    expect(input).toMatchObject({
      flow: 'users-hourly',
      error: { name: 'LeaseHeldError', message: 'Flow "users-hourly" is already running' },
    });
  });

  it('a States.* error: the plain-text Cause is the message', () => {
    const input = failInputFromEvent(
      failEventSchema.parse({ run, error: { Error: 'States.Timeout', Cause: 'Task timed out' } }),
    );
    expect(input).toMatchObject({ flow: 'users-hourly', error: { name: 'States.Timeout', message: 'Task timed out' } });
  });
});

describe('time budget', () => {
  it('keeps a safety margin of 20% of the remaining time, at least 5 s and at most 60 s', () => {
    expect(deadlineFrom(900_000, 0)).toBe(840_000);
    expect(deadlineFrom(100_000, 0)).toBe(80_000);
    expect(deadlineFrom(10_000, 0)).toBe(5_000);
    expect(deadlineFrom(3_000, 0)).toBe(0);
  });
});

describe('Lambda environment', () => {
  it('names every missing variable and says the stack sets them', () => {
    expect(() => readLambdaEnv({ OKTA_FLOW_CONFIG: '{}' })).toThrow(
      /STATE_BUCKET: is not set.*OUTPUT_BUCKET: is not set.*KMS_KEY_ARN: is not set.*CREDENTIALS_SECRET_ARN: is not set.*Redeploy the stack/,
    );
  });
});

describe('the deployed handler exports', () => {
  it('a well-formed input in a function without its environment fails with LambdaEnvError, naming what is missing', async () => {
    const { handler } = await import('../../../../lambdas/handlers/plan-run.js');
    const saved = process.env.STATE_BUCKET;
    delete process.env.STATE_BUCKET;
    try {
      await expect(handler({ flow: 'users-hourly' })).rejects.toThrow(
        /environment is incomplete.*STATE_BUCKET: is not set/,
      );
    } finally {
      if (saved !== undefined) process.env.STATE_BUCKET = saved;
    }
  });
});
