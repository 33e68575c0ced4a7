/**
 * The per-task checkpoint in the state store: the files a task has completed so far (too many for a Step Functions
 * payload), where its scan resumes and its part counter. The continuation in the payload is the source of truth for
 * "how far": files at or past its nextPartIndex came from an attempt that crashed before returning, are ignored
 * here and overwritten by the retry (deterministic part keys).
 */
import { z } from 'zod';
import type { FileEntry } from '../../output/writer.js';
import type { CheckpointRef } from '../state/flow-state.js';
import type { StateStore } from '../state/state-store.js';
import { RunStateError } from './errors.js';
import type { KeysFile } from './task-keys.js';
import type { RunPlan, RunTask, TaskContinuation } from './types.js';

const checkpointSchema = z.object({
  v: z.literal(1),
  files: z.array(z.object({ key: z.string(), bytes: z.number(), records: z.number(), sha256: z.string() })),
  nextPartIndex: z.number().int().nonnegative(),
  done: z.boolean(),
  /**
   * Snapshot-diff flows: the id list of each invocation, by the part index it started at and its invocation number
   * (two invocations may start at one part index when the first wrote no part: a relation scan listing parents).
   */
  idsFiles: z
    .array(
      z.object({
        start: z.number().int().nonnegative(),
        key: z.string(),
        invocation: z.number().int().nonnegative().optional(),
      }),
    )
    .default([]),
  /** The primary keys each invocation read (see task-keys.ts), by invocation number. */
  keysFiles: z.array(z.object({ invocation: z.number().int().nonnegative(), key: z.string() })).default([]),
});

export type TaskCheckpoint = z.input<typeof checkpointSchema>;

export interface IdsFile {
  readonly start: number;
  readonly key: string;
  readonly invocation?: number | undefined;
}

export function checkpointRef(run: RunPlan, task: RunTask): CheckpointRef {
  return { flow: run.flow, runId: run.runId, slice: task.taskId };
}

const PART_INDEX = /-(\d{5,})\.[a-z.]+$/;

export function partIndexOf(key: string): number {
  const m = PART_INDEX.exec(key);
  if (!m?.[1]) throw new RunStateError(`${key} is not a part file key`);
  return Number(m[1]);
}

/** The files of a task that precede `nextPartIndex`, and the checkpoint's version for the next conditional put. */
export async function loadTaskFiles(
  state: StateStore,
  run: RunPlan,
  task: RunTask,
  continuation: (Pick<TaskContinuation, 'nextPartIndex'> & Partial<Pick<TaskContinuation, 'invocations'>>) | null,
): Promise<{
  files: FileEntry[];
  idsFiles: IdsFile[];
  keysFiles: KeysFile[];
  version: string | null;
}> {
  const stored = await state.getCheckpoint(checkpointRef(run, task));
  const nextPartIndex = continuation?.nextPartIndex ?? 0;
  const invocations = continuation?.invocations ?? 0;
  if (stored === null) {
    if (nextPartIndex > 0) {
      throw new RunStateError(
        `Run ${run.runId} task ${task.taskId}: the checkpoint listing its first ${nextPartIndex} files is missing ` +
          'from the state store. The run cannot be committed; start a new run.',
      );
    }
    if (invocations > 0 && continuation?.invocations !== undefined) {
      throw new RunStateError(
        `Run ${run.runId} task ${task.taskId}: the checkpoint of its first ${invocations} invocations is missing ` +
          'from the state store. The run cannot be committed; start a new run.',
      );
    }
    return { files: [], idsFiles: [], keysFiles: [], version: null };
  }
  const parsed = checkpointSchema.safeParse(stored.checkpoint);
  if (!parsed.success) {
    throw new RunStateError(`Run ${run.runId} task ${task.taskId}: the checkpoint is unreadable; start a new run.`);
  }
  const files = parsed.data.files.filter((f) => partIndexOf(f.key) < nextPartIndex);
  if (files.length !== new Set(files.map((f) => partIndexOf(f.key))).size) {
    throw new RunStateError(`Run ${run.runId} task ${task.taskId}: the checkpoint lists a part twice`);
  }
  // An invocation not handed over (it crashed after its checkpoint) is retried under its number and rewrites its list.
  const idsFiles = parsed.data.idsFiles.filter((f) =>
    f.invocation !== undefined ? f.invocation < invocations : f.start < nextPartIndex,
  );
  const keysFiles = parsed.data.keysFiles.filter((f) => f.invocation < invocations);
  return { files, idsFiles, keysFiles, version: stored.version };
}

export async function saveTaskFiles(
  state: StateStore,
  run: RunPlan,
  task: RunTask,
  checkpoint: TaskCheckpoint,
  version: string | null,
): Promise<void> {
  await state.putCheckpoint(checkpointRef(run, task), checkpoint, version);
}
