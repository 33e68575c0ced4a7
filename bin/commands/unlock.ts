/**
 * `okta-flow unlock <flow>`: releases a flow's lease when its holder is provably gone, so a crashed run does not
 * block the flow until the lease expires. Provably gone: the Step Functions execution recorded in the lease is no
 * longer RUNNING (or no longer exists), or the local process recorded in it (same host) is no longer alive. Anything
 * else is refused: a lease without a holder, a process on another host, an execution that still runs. The release is
 * a conditional write on the lease version that was checked, so a run that renewed meanwhile keeps its lease.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { LeaseHolder } from '../../lambdas/flow/state/flow-state.js';
import { LocalFileStateStore } from '../../lambdas/flow/state/local-file-state-store.js';
import { S3StateStore } from '../../lambdas/flow/state/s3-state-store.js';
import type { StateStore } from '../../lambdas/flow/state/state-store.js';

export class UnlockRefusedError extends Error {
  override readonly name = 'UnlockRefusedError';
}

export interface HolderCheck {
  readonly gone: boolean;
  /** What was found, for the message: "execution … is SUCCEEDED", "process 123 on host x is running". */
  readonly detail: string;
}

export interface UnlockDeps {
  readonly state: StateStore;
  readonly now: () => number;
  /** Whether the holder is gone; the defaults ask Step Functions and the local process table. */
  readonly checkHolder: (holder: LeaseHolder) => Promise<HolderCheck>;
}

export type UnlockOutcome =
  | { readonly status: 'no-lease' | 'already-free'; readonly message: string }
  | { readonly status: 'released'; readonly message: string; readonly runId: string };

export async function unlockFlow(flow: string, deps: UnlockDeps): Promise<UnlockOutcome> {
  const lease = await deps.state.getLease(flow);
  if (lease === null) return { status: 'no-lease', message: `Flow "${flow}" has no lease: nothing to unlock.` };
  if (lease.released || Date.parse(lease.expiresAt) <= deps.now()) {
    const why = lease.released ? 'was released' : `expired at ${lease.expiresAt}`;
    return {
      status: 'already-free',
      message: `Flow "${flow}": the lease of run ${lease.runId} ${why}; the next run takes it.`,
    };
  }
  if (lease.holder === undefined) {
    throw new UnlockRefusedError(
      `Flow "${flow}": run ${lease.runId} holds the lease until ${lease.expiresAt}, and the lease does not say which ` +
        'execution or process runs it, so okta-flow cannot prove it is gone. Wait until it expires.',
    );
  }
  const check = await deps.checkHolder(lease.holder);
  if (!check.gone) {
    throw new UnlockRefusedError(
      `Flow "${flow}": run ${lease.runId} still holds the lease (${check.detail}). Stop it first (Step Functions: ` +
        'StopExecution, or the console\'s "Stop execution"), then unlock; or wait for it to finish.',
    );
  }
  const { released: _released, ...held } = lease;
  if (!(await deps.state.releaseLease(held, deps.now()))) {
    throw new UnlockRefusedError(`Flow "${flow}": the lease changed while it was checked; run unlock again.`);
  }
  return {
    status: 'released',
    runId: lease.runId,
    message: `Flow "${flow}": released the lease of run ${lease.runId} (${check.detail}).`,
  };
}

/** Step Functions executions via DescribeExecution; local processes by signal 0 on this host only. */
export function defaultHolderCheck(sfn: () => SFNClient): (holder: LeaseHolder) => Promise<HolderCheck> {
  return async (holder) => {
    if (holder.kind === 'stepfunctions') {
      try {
        const out = await sfn().send(new DescribeExecutionCommand({ executionArn: holder.executionArn }));
        const status = out.status ?? 'UNKNOWN';
        return {
          gone: status !== 'RUNNING' && status !== 'PENDING_REDRIVE',
          detail: `execution ${holder.executionArn} is ${status}`,
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'ExecutionDoesNotExist') {
          return { gone: true, detail: `execution ${holder.executionArn} does not exist` };
        }
        throw error;
      }
    }
    if (holder.host !== hostname()) {
      return { gone: false, detail: `process ${holder.pid} on host ${holder.host}, which is not this host` };
    }
    return processAlive(holder.pid)
      ? { gone: false, detail: `process ${holder.pid} on this host is running` }
      : { gone: true, detail: `process ${holder.pid} on this host is gone` };
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lease holder to record for a run in this process (`okta-flow run`). */
export function thisProcess(): LeaseHolder & { readonly kind: 'process' } {
  return { kind: 'process', host: hostname(), pid: process.pid };
}

/** `--state dir` (a `run --out` folder) or `s3://bucket/prefix` (the stack's OutputBucketName and output.prefix). */
export function stateStoreAt(where: string): StateStore {
  if (!where.startsWith('s3://')) return new LocalFileStateStore({ dir: resolve(where) });
  const [bucket, ...parts] = where.slice('s3://'.length).split('/');
  if (!bucket) throw new UnlockRefusedError(`--state ${where}: expected s3://bucket/prefix`);
  // No SSE header on the release: the bucket's default encryption (the stack's data key) applies.
  return new S3StateStore({ client: new S3Client({}), bucket, prefix: parts.filter((p) => p !== '').join('/') });
}
