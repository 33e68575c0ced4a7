/**
 * Contracts of the runner: the run plan every step carries, the tasks (object × slice) the extract step works on,
 * the small continuation an extract step returns, and the dependencies the steps take as parameters. Everything that
 * travels between Step Functions states is plain JSON and small (file lists stay in the state store checkpoint).
 */

import type { LakeCatalog } from '../../lake/lake-catalog.js';
import type { OktaObjectName } from '../../okta/catalog/types.js';
import type { StreamPosition } from '../../okta/extract/log-stream-position.js';
import type { Continuation, Slice } from '../../okta/extract/types.js';
import type { OktaApi, OktaClientObserver } from '../../okta/types.js';
import type { ClientSideEncryption } from '../../output/client-side-encryption.js';
import type { OutputTarget } from '../../output/sinks/types.js';
import type { Config } from '../config/schema.js';
import type { RunCounts, RunWarning } from '../events.js';
import type { EventSink } from '../observability/event-sink.js';
import type { RunLogger } from '../observability/logger.js';
import type { RunMetrics } from '../observability/metrics.js';
import type { StateStore } from '../state/state-store.js';

export interface RunPlan {
  readonly v: 1;
  readonly flow: string;
  readonly object: OktaObjectName;
  readonly runId: string;
  readonly mode: 'full' | 'incremental';
  /** Fixed at plan time; every step and retry reads this range. */
  readonly window: { readonly from?: string; readonly to: string };
  readonly reason: string;
  /** Where the watermark moves at commit; null: a window override that would leave a gap. */
  readonly advancesWatermarkTo: string | null;
  readonly trigger: 'schedule' | 'manual';
  readonly startedAt: string;
  /** `<prefix>/<object>/dt=…/run_id=…`: the data files and the manifest of this run. */
  readonly keyPrefix: string;
  /** `<prefix>/<object>_deletes/dt=…/run_id=…`: tombstones, when delete detection is on. */
  readonly deletesKeyPrefix: string | null;
  /** Version of the flow state read at plan time: the watermark put at commit is conditional on it. */
  readonly stateVersion: string | null;
  /**
   * The org's custom attributes as resolved at plan time (User flows): stored in the state store, referenced here by
   * key and SHA-256 so every step reads the same resolution. Null for objects without custom attributes.
   */
  readonly schema: { readonly key: string; readonly sha256: string } | null;
  /**
   * Tasks of this run that may extract at once (the state machine's Map reads it as its MaxConcurrency). Each task
   * builds its own Okta client, so each gets 1/concurrency of the flow's rate-limit share and in-flight cap: together
   * they never take more of the org's limits than one client would.
   */
  readonly concurrency: number;
  /**
   * Stream objects (LogEvent): whether the run starts from the flow state's stream position (`fromCursor`), or at
   * `since` (the first run, a full re-sync). Absent for listed objects.
   */
  readonly stream?: { readonly since: string | null; readonly fromCursor: boolean } | undefined;
  /** Warnings of the Okta client PlanRun used (it reads profile schemas), bounded: they reach Run Completed/Failed. */
  readonly warnings?: readonly RunWarning[] | undefined;
}

export type TaskKind = 'records' | 'deletes';

/** One unit of work: an object's slice (records) or the delete detection of the run. */
export interface RunTask {
  /** `t00`, `t01`, … or `deletes`; names the checkpoint and, via partLabel, the part files. */
  readonly taskId: string;
  readonly kind: TaskKind;
  readonly slice: Slice | null;
  /** Part files are `part-<partLabel>-00000.<ext>`: parallel tasks never collide, re-runs overwrite. */
  readonly partLabel: string;
}

/** What an extract step hands to the next invocation of the same task. */
export interface TaskContinuation {
  readonly v: 1;
  /** Where the Okta scan resumes; null before the first page. */
  readonly okta: Continuation | null;
  /** The part index the next file of this task gets; files below it are in the checkpoint. */
  readonly nextPartIndex: number;
  readonly counts: RunCounts;
  readonly invocations: number;
  /** Stream tasks: where the stream stands after the pages read so far (committed with the run, not before). */
  readonly stream?: StreamPosition | undefined;
  /** The Okta client's warnings so far (bounded: MAX_RUN_WARNINGS codes), for the run event. */
  readonly warnings?: readonly RunWarning[];
}

export interface ExtractStepResult {
  readonly run: RunPlan;
  readonly task: RunTask;
  readonly continuation: TaskContinuation;
  readonly done: boolean;
  /**
   * With `done: false`: the task is waiting for an Okta rate-limit reset further away than the invocation could
   * sleep (but within the run's wait budget). Wait this many seconds (≥ 1), then invoke the step again with this
   * result as its input (the state machine's Wait state; `runFlow` sleeps).
   */
  readonly waitSeconds?: number;
}

export interface PlannedRun {
  readonly run: RunPlan;
  readonly tasks: RunTask[];
}

/** Points where tests inject a crash (`deps.crash`), in the order a run passes them. */
export const CRASH_POINTS = [
  'plan:after-lease',
  'extract:after-page',
  'extract:after-file',
  'extract:before-checkpoint',
  'extract:after-checkpoint',
  'commit:before-manifest',
  'commit:between-manifests',
  'commit:after-manifest',
  'commit:after-watermark',
  'commit:before-release',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface ProgressUpdate {
  readonly flow: string;
  readonly object: OktaObjectName;
  readonly taskId: string;
  readonly records: number;
  readonly pages: number;
  readonly rateLimitWaitMs: number;
  /** Set while the task waits for a rate-limit reset (not for pacing): which bucket, until when (ms since epoch). */
  readonly waiting?: { readonly bucket: string; readonly untilMs: number } | undefined;
  readonly duplicates?: number;
}

export interface RunnerDeps {
  /** The validated config (flows and output settings); steps look their flow up by name. */
  readonly config: Config;
  /**
   * An Okta API for one step; the observer feeds metrics (rate-limit waits, 429s) and warnings. `concurrentTasks`:
   * how many tasks of the run share the flow's rate-limit share (see RunPlan.concurrency). `sleepBudgetMs`: how long
   * from now the step may sleep on a rate limit; a longer wait becomes `OktaRateLimitDeferral` (absent: no limit).
   */
  createOktaApi(
    observer: OktaClientObserver,
    options: { concurrentTasks: number; sleepBudgetMs?: number },
  ): OktaApi | Promise<OktaApi>;
  readonly target: OutputTarget;
  readonly state: StateStore;
  readonly events: EventSink;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly logger: RunLogger;
  readonly metrics: RunMetrics;
  /** Lease time-to-live, renewed at every step and every few pages (default 15 min). */
  readonly leaseTtlMs?: number;
  /** Okta page size (default: the catalog's). */
  readonly pageLimit?: number;
  /** Roll files at this size (default: output.targetFileSizeMiB). */
  readonly targetFileBytes?: number;
  readonly maxRecordsPerFile?: number;
  readonly clientSideEncryption?: ClientSideEncryption;
  /** Random suffix of run ids (tests make it deterministic). */
  readonly randomId?: () => string;
  /** Test hook: throw here to simulate a crash. */
  readonly crash?: (point: CrashPoint, info: { taskId?: string }) => void;
  readonly onProgress?: (update: ProgressUpdate) => void;
  /** Where the lake's tables and views are registered (Glue in the stack); kept current at each commit. */
  readonly lakeCatalog?: LakeCatalog;
}
