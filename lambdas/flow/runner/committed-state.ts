/**
 * The flow state a commit moves to. The commit record (lambdas/lake/commit-log.ts) is the commit point; the flow
 * state (watermark, last run, snapshot) follows it. A crash between the two is finished by rolling forward from the
 * record (the retried commit, FailRun, or the next run's plan), never by deleting committed files.
 */
import type { CommitRecord } from '../../lake/commit-log.js';
import type { FlowState } from '../state/flow-state.js';
import type { RunnerDeps } from './types.js';

export function flowStateAfter(previous: FlowState | null, record: CommitRecord, key: string): FlowState {
  return {
    ...(previous ?? {}),
    schemaVersion: 1,
    flow: record.flow,
    watermark: record.state.watermark ?? previous?.watermark ?? null,
    lastRun: {
      runId: record.run_id,
      mode: record.mode,
      window: { ...(record.window_from === null ? {} : { from: record.window_from }), to: record.window_to },
      committedAt: record.committed_at,
      records: record.state.records,
      manifestKeys: [key],
    },
    ...(record.state.snapshot !== null ? { snapshot: record.state.snapshot } : {}),
    ...(record.state.stream != null ? { stream: record.state.stream } : {}),
  };
}

/**
 * Puts the state a commit record moves to, conditional on the state version the run was planned on; nothing to do
 * when the state already records this run. Returns the watermark after the commit.
 */
export async function applyCommittedState(
  record: CommitRecord,
  key: string,
  deps: Pick<RunnerDeps, 'state'>,
): Promise<{ applied: boolean; watermark: string | null }> {
  const stored = await deps.state.getFlowState(record.flow);
  if (stored?.state.lastRun?.runId === record.run_id) return { applied: false, watermark: stored.state.watermark };
  const next = flowStateAfter(stored?.state ?? null, record, key);
  // Conditional on the version read at plan time: if anything else wrote the state since, we must not overwrite it.
  await deps.state.putFlowState(record.flow, next, record.state.planVersion);
  return { applied: true, watermark: next.watermark };
}
