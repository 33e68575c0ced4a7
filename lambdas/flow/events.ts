/**
 * What starts a run and what a run reports.
 *
 * Run input: what a person types in the Step Functions console or the Lambda test event, what the CLI sends and what
 * each EventBridge Scheduler schedule sends. Kept simple: `{"flow": "users-hourly"}`, optionally `"from"` / `"to"`
 * (ISO-8601) to override the window, or `"fullResync": true`.
 *
 * Run events: published on EventBridge (source `okta-flow`), modelled on AppFlow's flow-run events: "Run Started",
 * "Run Completed" and "Run Failed", each with the flow, run id, objects, window, counts and duration.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { OKTA_OBJECT_NAMES, type OktaObjectName } from '../okta/catalog/types.js';
import { formatProblem } from './config/config-error.js';
import { problemsFromIssues } from './config/format-issues.js';

// --- instants -------------------------------------------------------------------------------------------------------

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date (`2026-01-01`, midnight UTC) or date-time with a zone
 * (`2026-01-01T10:00:00Z`, `2026-01-01T12:00+02:00`), or null when the text is not one or names an impossible date
 * (JavaScript's Date would roll `2026-02-30` over to March; we refuse it).
 */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return null;
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return local - sign * offset;
}

/** Canonical form used everywhere in state, windows and events: UTC with milliseconds. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

const instant = z.string().transform((text, ctx) => {
  const ms = parseInstant(text);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} is not an ISO-8601 date-time (with Z or an offset) or date`,
      params: { example: '2026-01-01T00:00:00Z' },
    });
    return z.NEVER;
  }
  return formatInstant(ms);
});

// --- run input ------------------------------------------------------------------------------------------------------

export const runInputSchema = z
  .strictObject({
    flow: z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'is not a flow name (kebab-case, as in the config)' })
      .max(64)
      .meta({ examples: ['users-hourly'] }),
    from: instant.optional().meta({ examples: ['2026-01-01T00:00:00Z'] }),
    to: instant.optional().meta({ examples: ['2026-01-02T00:00:00Z'] }),
    fullResync: z
      .boolean()
      .optional()
      .meta({ examples: [true] }),
    /** Set by the EventBridge Scheduler target; console and CLI runs are manual. */
    trigger: z
      .enum(['schedule', 'manual'])
      .default('manual')
      .meta({ examples: ['manual'] }),
    /** `<aws.scheduler.scheduled-time>` from the schedule, when there is one. */
    scheduledTime: instant.optional().meta({ examples: ['2026-01-01T00:00:00Z'] }),
  })
  .superRefine((input, ctx) => {
    if (input.fullResync && (input.from !== undefined || input.to !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fullResync'],
        message: 'a full re-sync copies everything up to now, so it cannot be combined with "from" or "to"',
        params: { example: { flow: 'users-hourly', fullResync: true } },
      });
    }
    if (input.from !== undefined && input.to !== undefined && input.from >= input.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `${input.to} is not after "from" (${input.from}); the window is [from, to)`,
        params: { example: { flow: 'users-hourly', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } },
      });
    }
  });

export type RunInput = z.output<typeof runInputSchema>;

/** Malformed run input: says what is wrong and what a right input looks like. */
export class RunInputError extends Error {
  override readonly name = 'RunInputError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `Invalid run input: ${problems.join('; ')}. A run input looks like {"flow": "users-hourly"}, optionally with ` +
        '"from" and "to" (ISO-8601, e.g. "2026-01-01T00:00:00Z") or "fullResync": true.',
    );
    this.problems = problems;
  }
}

export function parseRunInput(raw: unknown): RunInput {
  if (raw === undefined || raw === null) throw new RunInputError(['the input is empty']);
  const result = runInputSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const problems = problemsFromIssues(result.error.issues, runInputSchema);
  throw new RunInputError(problems.map((problem) => formatProblem(problem, 'the input')));
}

// --- run events -----------------------------------------------------------------------------------------------------

export const RUN_EVENT_SOURCE = 'okta-flow';
export const RUN_EVENT_DETAIL_TYPES = {
  started: 'Run Started',
  completed: 'Run Completed',
  failed: 'Run Failed',
} as const;
export type RunEventKind = keyof typeof RUN_EVENT_DETAIL_TYPES;

// From the catalog: an object added there is valid in run events without touching this file.
const oktaObject = z.enum(OKTA_OBJECT_NAMES as [OktaObjectName, ...OktaObjectName[]]);

export const runCountsSchema = z.object({
  records: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Tombstones written by delete detection. */
  deletes: z.number().int().nonnegative(),
  rateLimitWaitMs: z.number().nonnegative(),
  /** HTTP 429 answers received. */
  throttled: z.number().int().nonnegative(),
  /** Records Okta returned again within a task (same primary key): dropped, never committed twice. */
  duplicates: z.number().int().nonnegative().default(0),
  /** Warnings the Okta client raised (each also logged and listed in the run event). */
  warnings: z.number().int().nonnegative().default(0),
});
export type RunCounts = z.infer<typeof runCountsSchema>;

export function emptyRunCounts(): RunCounts {
  return {
    records: 0,
    pages: 0,
    files: 0,
    bytes: 0,
    deletes: 0,
    rateLimitWaitMs: 0,
    throttled: 0,
    duplicates: 0,
    warnings: 0,
  };
}

/** At most this many distinct warnings travel with a run (state payloads stay small); the count is always exact. */
export const MAX_RUN_WARNINGS = 10;

/** One kind of warning of a run: its code, the first message, how often it happened. */
export const runWarningSchema = z.object({
  code: z.string().max(100),
  message: z.string().max(500),
  count: z.number().int().positive(),
});
export type RunWarning = z.infer<typeof runWarningSchema>;

/** Longest warning message kept with a run. */
const MAX_WARNING_MESSAGE = 500;

/** One occurrence of an Okta client warning, bounded for the run's payloads and events. */
export function warningOf(code: string, message: string): RunWarning {
  return { code: code.slice(0, 100), message: message.slice(0, MAX_WARNING_MESSAGE), count: 1 };
}

/** How many warnings a list stands for (each entry counts its occurrences). */
export function warningCount(warnings: readonly RunWarning[]): number {
  return warnings.reduce((n, w) => n + w.count, 0);
}

/** `a` and `b` merged by code (first message kept, counts added), at most MAX_RUN_WARNINGS codes. */
export function mergeWarnings(a: readonly RunWarning[], b: readonly RunWarning[]): RunWarning[] {
  const out = a.map((w) => ({ ...w }));
  for (const w of b) {
    const known = out.find((x) => x.code === w.code);
    if (known) known.count += w.count;
    else if (out.length < MAX_RUN_WARNINGS) out.push({ ...w });
  }
  return out;
}

const runEventBase = z.object({
  version: z.literal('1'),
  flow: z.string(),
  runId: z.string(),
  objects: z.array(oktaObject),
  mode: z.enum(['full', 'incremental']),
  trigger: z.enum(['schedule', 'manual']),
  window: z.object({ from: z.string().optional(), to: z.string() }),
  startedAt: z.string(),
});

export const runStartedSchema = runEventBase.extend({ reason: z.string() });

export const runCompletedSchema = runEventBase.extend({
  endedAt: z.string(),
  durationMs: z.number().nonnegative(),
  counts: runCountsSchema,
  countsByObject: z.partialRecord(oktaObject, runCountsSchema),
  /** S3 keys (or local paths) of the committed manifests, one per object. */
  manifests: z.array(z.string()),
  /** The watermark after this run (unchanged for window overrides that do not extend it). */
  watermark: z.string().nullable(),
  /** What the Okta client warned about during the run (e.g. a page without its Link header that was verified). */
  warnings: z.array(runWarningSchema).max(MAX_RUN_WARNINGS).optional(),
});

export const runFailedSchema = runEventBase.extend({
  endedAt: z.string(),
  durationMs: z.number().nonnegative(),
  /** What was done before the failure; nothing of it was committed. */
  counts: runCountsSchema,
  error: z.object({
    name: z.string(),
    message: z.string(),
    /** The step that failed: plan, extract, commit. */
    step: z.string().optional(),
  }),
  warnings: z.array(runWarningSchema).max(MAX_RUN_WARNINGS).optional(),
});

export type RunStartedDetail = z.infer<typeof runStartedSchema>;
export type RunCompletedDetail = z.infer<typeof runCompletedSchema>;
export type RunFailedDetail = z.infer<typeof runFailedSchema>;

export interface RunEventDetails {
  started: RunStartedDetail;
  completed: RunCompletedDetail;
  failed: RunFailedDetail;
}

const DETAIL_SCHEMAS = { started: runStartedSchema, completed: runCompletedSchema, failed: runFailedSchema };

/** The EventBridge PutEvents entry of a run event; the detail is validated so consumers can rely on its shape. */
export function runEventEntry<K extends RunEventKind>(
  kind: K,
  detail: RunEventDetails[K],
  eventBusName?: string,
): PutEventsRequestEntry {
  const checked = DETAIL_SCHEMAS[kind].parse(detail);
  return {
    Source: RUN_EVENT_SOURCE,
    DetailType: RUN_EVENT_DETAIL_TYPES[kind],
    Detail: JSON.stringify(checked),
    ...(eventBusName ? { EventBusName: eventBusName } : {}),
  };
}
