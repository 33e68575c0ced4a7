/**
 * The state machine's contract: zod schemas of what each step receives, with messages that say what is wrong.
 * Nothing here grows with the number of tasks (Step Functions caps each payload at 256 KiB): the task list and the
 * finished tasks' results live in the state store (run-tasks.ts).
 *   PlanRun     ← {input: <console input {"flow", "from"?, "to"?, "fullResync"?}>, executionArn}
 *                 (or the console input itself)                      → {run, lanes: [0 … C-1], taskCount}
 *   ExtractStep ← {run, lane, taskIndex?, continuation?}             → {run, lane, taskIndex, continuation, done,
 *                                                                        waitSeconds?}
 *               ← {run, task, continuation: null | {...}}  (one task) → {run, task, continuation, done}
 *   CommitRun   ← {run} (results from the state store), or {run, results}  → Run Completed detail
 *   FailRun     ← {run?, input, tasks?, error: {Error, Cause}}       → Run Failed detail
 */
import { z } from 'zod';
import { OKTA_OBJECT_NAMES, type OktaObjectName } from '../../okta/catalog/types.js';
import { streamPositionSchema } from '../../okta/extract/log-stream-position.js';
import { MAX_RUN_WARNINGS, runCountsSchema, runWarningSchema } from '../events.js';
import type { FailInput } from './fail-run.js';
import type { ExtractStepResult, RunPlan, RunTask, TaskContinuation } from './types.js';

const object = z.enum(OKTA_OBJECT_NAMES as [OktaObjectName, ...OktaObjectName[]]);
const range = z.object({ from: z.string().optional(), to: z.string().optional() });

export const runPlanSchema: z.ZodType<RunPlan> = z.object({
  v: z.literal(1),
  flow: z.string().min(1),
  object,
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  mode: z.enum(['full', 'incremental']),
  window: z.object({ from: z.string().optional(), to: z.string() }),
  reason: z.string(),
  advancesWatermarkTo: z.string().nullable(),
  trigger: z.enum(['schedule', 'manual']),
  startedAt: z.string(),
  keyPrefix: z.string().min(1),
  deletesKeyPrefix: z.string().nullable(),
  stateVersion: z.string().nullable(),
  schema: z
    .object({ key: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
    .nullable()
    .default(null),
  concurrency: z.number().int().min(1).max(40),
  warnings: z.array(runWarningSchema).max(MAX_RUN_WARNINGS).optional(),
  stream: z.object({ since: z.string().nullable(), fromCursor: z.boolean() }).optional(),
});

const sliceSchema = range.extend({ id: z.string(), field: z.string() });

export const runTaskSchema: z.ZodType<RunTask> = z.object({
  taskId: z.string().regex(/^[A-Za-z0-9._=-]{1,64}$/),
  kind: z.enum(['records', 'deletes']),
  slice: sliceSchema.nullable(),
  partLabel: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
});

const oktaContinuationSchema = z.object({
  v: z.literal(1),
  object,
  slice: sliceSchema.nullable(),
  window: range.nullable(),
  filterHash: z.string(),
  next: z.string().startsWith('/'),
  pages: z.number().int().nonnegative(),
  scanned: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  children: z
    .object({
      parentPage: z.string().startsWith('/').nullable(),
      offset: z.number().int().nonnegative(),
      parentId: z.string().nullable(),
      child: z.string().startsWith('/').nullable(),
      existence: z.string().startsWith('/').optional(),
    })
    .optional(),
});

export const taskContinuationSchema: z.ZodType<TaskContinuation> = z.object({
  v: z.literal(1),
  okta: oktaContinuationSchema.nullable(),
  nextPartIndex: z.number().int().nonnegative(),
  counts: runCountsSchema,
  invocations: z.number().int().nonnegative(),
  stream: streamPositionSchema.optional(),
  warnings: z.array(runWarningSchema).max(MAX_RUN_WARNINGS).optional(),
});

export const extractStepEventSchema = z.object({
  run: runPlanSchema,
  task: runTaskSchema,
  continuation: taskContinuationSchema.nullable().default(null),
});

const stepResultSchema: z.ZodType<Pick<ExtractStepResult, 'task' | 'continuation' | 'done'>> = z.object({
  task: runTaskSchema,
  continuation: taskContinuationSchema,
  done: z.boolean(),
});

/** One lane's invocation; its input is the previous invocation's output (extra keys such as `done` are ignored). */
export const laneEventSchema = z.object({
  run: runPlanSchema,
  lane: z.number().int().nonnegative(),
  taskIndex: z.number().int().nonnegative().optional(),
  continuation: taskContinuationSchema.nullable().default(null),
});

export const commitEventSchema = z.object({ run: runPlanSchema, results: z.array(stepResultSchema).min(1).optional() });

/** PlanRun's payload from the state machine: the execution input and the execution's ARN (the lease's holder). */
export const planEventSchema = z.object({
  input: z.unknown(),
  executionArn: z.string().startsWith('arn:'),
});

/** Step Functions' Catch output: `{Error, Cause}`; a Lambda's Cause is JSON `{errorType, errorMessage, …}`. */
export const failEventSchema = z.object({
  run: runPlanSchema.optional(),
  input: z.unknown().optional(),
  tasks: z.array(runTaskSchema).optional(),
  error: z.object({ Error: z.string().default('Error'), Cause: z.string().optional() }),
});

/** A step event that does not match its schema. */
export class InvalidStepEventError extends Error {
  override readonly name = 'InvalidStepEventError';
}

export function parseStepEvent<T>(step: string, schema: z.ZodType<T>, raw: unknown, example: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'the event'}: ${i.message}`);
  throw new InvalidStepEventError(
    `Invalid ${step} event: ${problems.join('; ')}. The state machine passes ${example}; start runs with the ` +
      'console input {"flow": "<name>"} instead of calling this step by hand.',
  );
}

/** The failure as the Run Failed event reports it, from Step Functions' `{Error, Cause}`. */
export function failInputFromEvent(event: z.infer<typeof failEventSchema>): FailInput {
  let message = event.error.Cause ?? event.error.Error;
  let name = event.error.Error;
  if (event.error.Cause) {
    try {
      const cause = JSON.parse(event.error.Cause) as { errorType?: unknown; errorMessage?: unknown };
      if (typeof cause.errorMessage === 'string') message = cause.errorMessage;
      if (typeof cause.errorType === 'string') name = cause.errorType;
    } catch {
      // A plain-text Cause (States.* errors) is the message itself.
    }
  }
  const input = event.input as { flow?: unknown } | undefined;
  return {
    run: event.run,
    flow: event.run?.flow ?? (typeof input?.flow === 'string' ? input.flow : undefined),
    tasks: event.tasks,
    error: { name, message },
  };
}
