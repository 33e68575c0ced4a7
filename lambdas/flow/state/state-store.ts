import type { Checkpoint, CheckpointRef, FlowState, Lease, LeaseHolder, RunDocumentRef } from './flow-state.js';

/**
 * Watermarks, checkpoints and leases of flows. Every write is conditional, so two runs of one flow can never both
 * commit: the lease makes the second run fail fast (LeaseHeldError), and the version check on the flow state is
 * the last line of defence (ConflictError).
 */
export interface StateStore {
  getFlowState(flow: string): Promise<{ state: FlowState; version: string } | null>;
  /**
   * Writes the flow state if it is still at `expectedVersion` (null: only if none exists yet); returns the new
   * version. Throws ConflictError when another writer got there first.
   */
  putFlowState(flow: string, state: FlowState, expectedVersion: string | null): Promise<string>;

  /**
   * Takes the flow's lease for `ttlMs` from `now` (ms since the epoch). Succeeds when nobody holds it, when the
   * holder's lease has expired or was released, or when `runId` already holds it (a retried step). Otherwise
   * throws LeaseHeldError naming the holder. `holder` says who runs `runId` (for `okta-flow unlock`).
   */
  acquireLease(flow: string, runId: string, ttlMs: number, now: number, holder?: LeaseHolder): Promise<Lease>;
  /** Extends a held lease to `now + ttlMs`; throws LeaseLostError when another run has taken it. */
  renewLease(lease: Lease, ttlMs: number, now: number): Promise<Lease>;
  /** Gives the lease up so the next run need not wait for expiry; false when it had already been taken over. */
  releaseLease(lease: Lease, now: number): Promise<boolean>;
  /** The current lease record, if any (expired and released ones included), for status displays. */
  getLease(flow: string): Promise<(Lease & { released: boolean }) | null>;

  putCheckpoint(ref: CheckpointRef, checkpoint: Checkpoint, expectedVersion: string | null): Promise<string>;
  getCheckpoint(ref: CheckpointRef): Promise<{ checkpoint: Checkpoint; version: string } | null>;
  deleteCheckpoint(ref: CheckpointRef): Promise<void>;

  /**
   * Small JSON documents okta-flow keeps for itself, at keys from state-keys.ts (`resolvedSchemaKey`,
   * `lakeColumnsKey`): the body as written and its version, or null. The caller validates the content.
   */
  getDocument(key: string): Promise<{ body: string; version: string } | null>;
  /** Writes a document if it is still at `expectedVersion` (null: only if absent); ConflictError otherwise. */
  putDocument(key: string, body: string, expectedVersion: string | null): Promise<string>;
  /** Writes (or overwrites) a run document; the state machine's payloads carry its name, never its content. */
  putRunDocument(ref: RunDocumentRef, document: Checkpoint): Promise<void>;
  getRunDocument(ref: RunDocumentRef): Promise<Checkpoint | null>;
  deleteRunDocument(ref: RunDocumentRef): Promise<void>;
}
