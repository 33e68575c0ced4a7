/** What resolving a plan against the org yields: per row, will change (before → after), already so, or invalid. */
import type { ActionName } from './actions.js';

export type Outcome = 'will-change' | 'already-so' | 'invalid';

/** A resolved reference: Okta's id and the name people know it by (login, group name, app label). */
export interface TargetRef {
  readonly id: string;
  readonly label: string;
}

export interface OktaCall {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

export interface ResolvedRow {
  readonly row: number;
  readonly action: ActionName;
  readonly outcome: Outcome;
  readonly target: { readonly user?: TargetRef; readonly group?: TargetRef; readonly app?: TargetRef };
  /** The state the action changes, as the org has it now (null: the object does not exist yet). */
  readonly before: Readonly<Record<string, unknown>> | null;
  /** The state after the action (null: the object will be gone). */
  readonly after: Readonly<Record<string, unknown>> | null;
  /** Why the row is invalid or already so. */
  readonly reason?: string;
  /** The field an invalid row is invalid in. */
  readonly field?: string;
  /** The Okta call a will-change row makes. */
  readonly call?: OktaCall;
}

export interface Resolution {
  readonly planHash: string;
  readonly resolvedAt: string;
  readonly rows: readonly ResolvedRow[];
  readonly counts: { readonly willChange: number; readonly alreadySo: number; readonly invalid: number };
}

export function countOutcomes(rows: readonly ResolvedRow[]): Resolution['counts'] {
  return {
    willChange: rows.filter((r) => r.outcome === 'will-change').length,
    alreadySo: rows.filter((r) => r.outcome === 'already-so').length,
    invalid: rows.filter((r) => r.outcome === 'invalid').length,
  };
}
