/**
 * The one StateStore implementation, over any VersionedBlobStore (S3, memory, local files). Leases are plain
 * objects replaced with compare-and-swap writes; releasing marks the lease released (a conditional PUT) rather than
 * deleting it, so the protocol needs only conditional writes, which S3 supports everywhere.
 */
import { z } from 'zod';
import { ConflictError, InvalidStateKeyError, LeaseHeldError, LeaseLostError, StateCorruptError } from './errors.js';
import {
  type Checkpoint,
  type CheckpointRef,
  type FlowState,
  flowStateSchema,
  type Lease,
  type LeaseHolder,
  leaseHolderSchema,
  type RunDocumentRef,
} from './flow-state.js';
import { checkpointKey, flowStateKey, isDocumentKey, leaseKey, runDocumentKey } from './state-keys.js';
import type { StateStore } from './state-store.js';
import { type VersionedBlob, type VersionedBlobStore, WriteConditionFailed } from './versioned-blob-store.js';

const leaseRecordSchema = z.object({
  flow: z.string(),
  runId: z.string(),
  acquiredAt: z.string(),
  renewedAt: z.string(),
  expiresAt: z.string(),
  released: z.boolean(),
  holder: leaseHolderSchema.optional(),
});
type LeaseRecord = z.infer<typeof leaseRecordSchema>;

const checkpointSchema = z.record(z.string(), z.unknown());

/** Attempts at acquiring a lease when conditional writes keep losing races (each loss re-reads the holder). */
const ACQUIRE_ATTEMPTS = 4;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function condition(expectedVersion: string | null) {
  return expectedVersion === null ? ({ ifNoneMatch: '*' } as const) : { ifMatch: expectedVersion };
}

export class BlobStateStore implements StateStore {
  constructor(private readonly blobs: VersionedBlobStore) {}

  async getFlowState(flow: string): Promise<{ state: FlowState; version: string } | null> {
    const key = flowStateKey(flow);
    const blob = await this.blobs.get(key);
    if (blob === null) return null;
    return { state: decode(key, blob, flowStateSchema), version: blob.version };
  }

  async putFlowState(flow: string, state: FlowState, expectedVersion: string | null): Promise<string> {
    const key = flowStateKey(flow);
    if (state.flow !== flow) throw new Error(`State of flow "${state.flow}" cannot be written as flow "${flow}"`);
    return this.conditionalPut(
      key,
      JSON.stringify(flowStateSchema.parse(state)),
      expectedVersion,
      `Flow "${flow}" state`,
    );
  }

  async acquireLease(flow: string, runId: string, ttlMs: number, now: number, by?: LeaseHolder): Promise<Lease> {
    checkTtl(ttlMs);
    const key = leaseKey(flow);
    let holder: LeaseRecord | null = null;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      const blob = await this.blobs.get(key);
      const current = blob === null ? null : decode(key, blob, leaseRecordSchema);
      const free = current === null || current.released || Date.parse(current.expiresAt) <= now;
      const ours = current !== null && !current.released && current.runId === runId;
      if (!free && !ours) {
        holder = current;
        break;
      }
      const record: LeaseRecord = {
        flow,
        runId,
        acquiredAt: ours && current ? current.acquiredAt : iso(now),
        renewedAt: iso(now),
        expiresAt: iso(now + ttlMs),
        released: false,
        ...withHolder(by ?? (ours ? current?.holder : undefined)),
      };
      try {
        const version = await this.blobs.put(
          key,
          JSON.stringify(record),
          blob ? { ifMatch: blob.version } : { ifNoneMatch: '*' },
        );
        return toLease(record, version);
      } catch (error) {
        if (!(error instanceof WriteConditionFailed)) throw error;
        // Someone else wrote the lease between our read and write: read again to see who holds it now.
      }
    }
    if (holder === null) {
      const blob = await this.blobs.get(key);
      holder = blob === null ? null : decode(key, blob, leaseRecordSchema);
    }
    throw new LeaseHeldError({
      flow,
      holderRunId: holder?.runId ?? 'unknown',
      since: holder?.acquiredAt ?? 'unknown',
      until: holder?.expiresAt ?? 'unknown',
    });
  }

  async renewLease(lease: Lease, ttlMs: number, now: number): Promise<Lease> {
    checkTtl(ttlMs);
    const key = leaseKey(lease.flow);
    const record: LeaseRecord = {
      flow: lease.flow,
      runId: lease.runId,
      acquiredAt: lease.acquiredAt,
      renewedAt: iso(now),
      expiresAt: iso(now + ttlMs),
      released: false,
      ...withHolder(lease.holder),
    };
    try {
      return toLease(record, await this.blobs.put(key, JSON.stringify(record), { ifMatch: lease.version }));
    } catch (error) {
      if (!(error instanceof WriteConditionFailed)) throw error;
      throw new LeaseLostError(lease.flow, lease.runId, await this.describeHolder(lease.flow), { cause: error });
    }
  }

  async releaseLease(lease: Lease, now: number): Promise<boolean> {
    const record: LeaseRecord = {
      flow: lease.flow,
      runId: lease.runId,
      acquiredAt: lease.acquiredAt,
      renewedAt: iso(now),
      expiresAt: iso(now),
      released: true,
      ...withHolder(lease.holder),
    };
    try {
      await this.blobs.put(leaseKey(lease.flow), JSON.stringify(record), { ifMatch: lease.version });
      return true;
    } catch (error) {
      if (error instanceof WriteConditionFailed) return false;
      throw error;
    }
  }

  async getLease(flow: string): Promise<(Lease & { released: boolean }) | null> {
    const key = leaseKey(flow);
    const blob = await this.blobs.get(key);
    if (blob === null) return null;
    const record = decode(key, blob, leaseRecordSchema);
    return { ...toLease(record, blob.version), released: record.released };
  }

  async putCheckpoint(ref: CheckpointRef, checkpoint: Checkpoint, expectedVersion: string | null): Promise<string> {
    const what = `Checkpoint ${ref.slice} of run ${ref.runId}`;
    return this.conditionalPut(checkpointKey(ref), JSON.stringify(checkpoint), expectedVersion, what);
  }

  async getCheckpoint(ref: CheckpointRef): Promise<{ checkpoint: Checkpoint; version: string } | null> {
    const key = checkpointKey(ref);
    const blob = await this.blobs.get(key);
    if (blob === null) return null;
    return { checkpoint: decode(key, blob, checkpointSchema), version: blob.version };
  }

  async deleteCheckpoint(ref: CheckpointRef): Promise<void> {
    await this.blobs.delete(checkpointKey(ref));
  }

  async getDocument(key: string): Promise<{ body: string; version: string } | null> {
    return this.blobs.get(documentKey(key));
  }

  async putDocument(key: string, body: string, expectedVersion: string | null): Promise<string> {
    return this.conditionalPut(documentKey(key), body, expectedVersion, `State document ${key}`);
  }

  async putRunDocument(ref: RunDocumentRef, document: Checkpoint): Promise<void> {
    const key = runDocumentKey(ref);
    const body = JSON.stringify(document);
    // Last writer wins (a retried step rewrites the same content); the read gives the version to replace.
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      const current = await this.blobs.get(key);
      try {
        await this.blobs.put(key, body, current === null ? { ifNoneMatch: '*' } : { ifMatch: current.version });
        return;
      } catch (error) {
        if (!(error instanceof WriteConditionFailed)) throw error;
      }
    }
    throw new ConflictError(key, `Run document ${ref.name} of run ${ref.runId}`);
  }

  async getRunDocument(ref: RunDocumentRef): Promise<Checkpoint | null> {
    const key = runDocumentKey(ref);
    const blob = await this.blobs.get(key);
    return blob === null ? null : decode(key, blob, checkpointSchema);
  }

  async deleteRunDocument(ref: RunDocumentRef): Promise<void> {
    await this.blobs.delete(runDocumentKey(ref));
  }

  private async conditionalPut(key: string, body: string, expected: string | null, what: string): Promise<string> {
    try {
      return await this.blobs.put(key, body, condition(expected));
    } catch (error) {
      if (error instanceof WriteConditionFailed) throw new ConflictError(key, what, { cause: error });
      throw error;
    }
  }

  private async describeHolder(flow: string): Promise<string> {
    const lease = await this.getLease(flow);
    if (lease === null) return 'the lease object is gone';
    if (lease.released) return `run ${lease.runId} released it`;
    return `run ${lease.runId} holds it since ${lease.acquiredAt} until ${lease.expiresAt}`;
  }
}

function documentKey(key: string): string {
  if (!isDocumentKey(key)) throw new InvalidStateKeyError('Document key', key);
  return key;
}

function withHolder(holder: LeaseHolder | undefined): { holder?: LeaseHolder } {
  return holder === undefined ? {} : { holder };
}

function toLease(record: LeaseRecord, version: string): Lease {
  return {
    flow: record.flow,
    runId: record.runId,
    ...withHolder(record.holder),
    acquiredAt: record.acquiredAt,
    expiresAt: record.expiresAt,
    version,
  };
}

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`Lease TTL must be a positive number of ms, got ${ttlMs}`);
}

function decode<T>(key: string, blob: VersionedBlob, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(blob.body);
  } catch (error) {
    throw new StateCorruptError(key, 'it is not JSON', { cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new StateCorruptError(key, z.prettifyError(result.error).replaceAll('\n', '; '));
  return result.data;
}
