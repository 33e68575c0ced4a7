/**
 * What okta-flow remembers about a flow between runs, validated on read (a hand-edited or truncated state object
 * is reported, never half-trusted).
 *
 * Watermark semantics: every record whose cursor (`lastUpdated`) is before `watermark` has been written in some
 * committed run. It advances to a run's window `to` only AFTER that run's manifest is committed, so a crash at any
 * point leaves the previous watermark and the next run re-reads the window (duplicates across runs are resolved by
 * primary key; within committed output nothing is lost). Incremental windows start at `watermark - overlap`.
 */
import { z } from 'zod';
import { streamPositionSchema } from '../../okta/extract/log-stream-position.js';

const iso = z.iso.datetime({ offset: true });

export const timeWindowSchema = z.object({ from: iso.optional(), to: iso.optional() });

export const flowStateSchema = z
  .object({
    schemaVersion: z.literal(1),
    flow: z.string(),
    /** ISO-8601 UTC; null before the first committed run. */
    watermark: iso.nullable(),
    lastRun: z
      .object({
        runId: z.string(),
        mode: z.enum(['full', 'incremental']),
        window: timeWindowSchema,
        committedAt: iso,
        records: z.number().int().nonnegative(),
        manifestKeys: z.array(z.string()),
      })
      .loose()
      .optional(),
    /** The last full snapshot, for snapshot-diff delete detection: where its sorted id list lives. */
    snapshot: z
      .object({ runId: z.string(), committedAt: iso, idsKey: z.string(), count: z.number().int().nonnegative() })
      .loose()
      .optional(),
    /**
     * Stream objects (LogEvent): the System Log `next` link the last committed run ended at, and the uuids of its
     * last page. The next run starts there; it moves only with a commit.
     */
    stream: streamPositionSchema.optional(),
  })
  .loose();

export type FlowState = z.infer<typeof flowStateSchema>;

/** The state of a flow that has never committed a run. */
export function initialFlowState(flow: string): FlowState {
  return { schemaVersion: 1, flow, watermark: null };
}

/** A continuation saved by an extract step; opaque to the store (the runner defines its shape). */
export type Checkpoint = { readonly [key: string]: unknown };

export interface CheckpointRef {
  readonly flow: string;
  readonly runId: string;
  /** Which unit of work: an object and slice, e.g. `User.slice-03`. */
  readonly slice: string;
}

/**
 * Who runs the lease's run, so a stale lease can be released when its holder is provably gone (`okta-flow unlock`):
 * a Step Functions execution (gone once it is no longer RUNNING) or a local process (gone once its pid is not alive
 * on its host).
 */
export type LeaseHolder =
  | { readonly kind: 'stepfunctions'; readonly executionArn: string }
  | { readonly kind: 'process'; readonly host: string; readonly pid: number };

export const leaseHolderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stepfunctions'), executionArn: z.string().startsWith('arn:') }),
  z.object({ kind: z.literal('process'), host: z.string().min(1), pid: z.number().int().positive() }),
]);

/** A document of one run kept in the state store (its task list, each finished task's result). */
export interface RunDocumentRef {
  readonly flow: string;
  readonly runId: string;
  /** `tasks`, `result.t0042`, …: 1-128 of A-Z a-z 0-9 . _ = - */
  readonly name: string;
}

export interface Lease {
  readonly flow: string;
  readonly runId: string;
  /** Absent on leases written before holders were recorded, and for callers that do not say. */
  readonly holder?: LeaseHolder | undefined;
  /** ISO-8601 UTC: when this run first took the lease. */
  readonly acquiredAt: string;
  /** ISO-8601 UTC: when the lease lapses unless renewed. */
  readonly expiresAt: string;
  /** The stored lease object's version: renew and release are conditional on it. */
  readonly version: string;
}
