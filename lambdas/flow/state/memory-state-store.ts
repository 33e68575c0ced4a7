/** In-memory state, same semantics as S3 (tests, `okta-flow run` without --out). */
import { BlobStateStore } from './blob-state-store.js';
import {
  type VersionedBlob,
  type VersionedBlobStore,
  type WriteCondition,
  WriteConditionFailed,
} from './versioned-blob-store.js';

export class MemoryBlobStore implements VersionedBlobStore {
  private readonly blobs = new Map<string, VersionedBlob>();
  private generation = 0;

  async get(key: string): Promise<VersionedBlob | null> {
    await Promise.resolve(); // yield like real I/O, so concurrent callers interleave in tests
    return this.blobs.get(key) ?? null;
  }

  async put(key: string, body: string, condition: WriteCondition): Promise<string> {
    await Promise.resolve();
    const current = this.blobs.get(key);
    const holds = 'ifNoneMatch' in condition ? current === undefined : current?.version === condition.ifMatch;
    if (!holds) throw new WriteConditionFailed(key);
    this.generation += 1;
    const version = `m${this.generation}`;
    this.blobs.set(key, { body, version });
    return version;
  }

  async delete(key: string): Promise<void> {
    await Promise.resolve();
    this.blobs.delete(key);
  }

  /** Every key held, for tests and debugging. */
  keys(): string[] {
    return [...this.blobs.keys()].sort();
  }
}

export class MemoryStateStore extends BlobStateStore {
  /** The underlying blobs, for tests that inspect or tamper with raw state. */
  readonly memory: MemoryBlobStore;

  constructor(memory = new MemoryBlobStore()) {
    super(memory);
    this.memory = memory;
  }
}
