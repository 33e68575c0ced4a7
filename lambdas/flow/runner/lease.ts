/**
 * Checking and renewing the run's lease at every step: a run that lost it must stop before it writes state.
 * Parallel tasks of one run renew the same lease; a renewal that loses a race to a sibling (same run id) is fine:
 * the lease was just renewed. Only another run id holding it means the lease is lost.
 */
import { LeaseLostError } from '../state/errors.js';
import type { Lease } from '../state/flow-state.js';
import { DEFAULT_LEASE_TTL_MS } from './plan-run.js';
import type { RunnerDeps, RunPlan } from './types.js';

const RENEW_ATTEMPTS = 10;

export async function holdLease(run: RunPlan, deps: RunnerDeps): Promise<Lease> {
  let lastError: unknown;
  for (let attempt = 0; attempt < RENEW_ATTEMPTS; attempt++) {
    const current = await deps.state.getLease(run.flow);
    if (current === null) throw new LeaseLostError(run.flow, run.runId, 'there is no lease');
    if (current.runId !== run.runId) {
      throw new LeaseLostError(run.flow, run.runId, `run ${current.runId} holds it since ${current.acquiredAt}`);
    }
    if (current.released) throw new LeaseLostError(run.flow, run.runId, 'it was released');
    const { released: _released, ...lease } = current;
    const ttl = deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    // Freshly renewed (by this step or a sibling task): nothing to write, so parallel tasks do not contend.
    if (Date.parse(lease.expiresAt) - deps.clock() > ttl / 2) return lease;
    try {
      return await deps.state.renewLease(lease, ttl, deps.clock());
    } catch (error) {
      // A sibling task of this run renewed between our read and write: read again.
      lastError = error;
    }
  }
  throw lastError;
}
