/**
 * Where a run of a stream object (the System Log) starts: from the position the last committed run persisted, or,
 * on the first run and on a full re-sync, at `firstExecutionFrom` (within the 90-day retention, checked here, before
 * anything is written). Windows do not apply to a stream: its cursor is Okta's `next` link, not a time.
 */
import { checkStreamStart } from '../../okta/extract/log-stream.js';
import { LogStreamStartError } from '../../okta/extract/log-stream-errors.js';
import type { FlowConfig } from '../config/schema.js';
import type { WindowTrigger } from '../plan-window.js';
import type { FlowState } from '../state/flow-state.js';
import type { RunPlan } from './types.js';

export function planStream(
  flow: Pick<FlowConfig, 'name' | 'object' | 'firstExecutionFrom'>,
  state: FlowState | null,
  trigger: WindowTrigger,
  now: number,
): NonNullable<RunPlan['stream']> {
  const fail = (message: string) => new LogStreamStartError(`Flow "${flow.name}": ${message}`);
  if (trigger.from !== undefined || trigger.to !== undefined) {
    throw fail(
      `${flow.object} is read as a stream from where the last run ended, so "from"/"to" windows do not apply; ` +
        'drop them (or start again at firstExecutionFrom with {"fullResync": true})',
    );
  }
  const since = flow.firstExecutionFrom;
  if (state?.stream !== undefined && !trigger.fullResync) return { since: since ?? null, fromCursor: true };
  if (since === undefined) {
    throw fail(`the first run of ${flow.object} needs firstExecutionFrom (within the last 90 days)`);
  }
  try {
    checkStreamStart(since, now);
  } catch (error) {
    throw error instanceof LogStreamStartError ? fail(error.message) : error;
  }
  return { since, fromCursor: false };
}
