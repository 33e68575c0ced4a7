/**
 * State in a local folder (`okta-flow run --out dir`: `<dir>/_state/`), same semantics as S3. A conditional write
 * takes a per-key lock file (O_EXCL create), compares the version, writes a temporary file and renames it into
 * place, so readers never see a half-written object and two processes cannot both win a compare-and-swap.
 * Versions are content hashes: equal content means equal state, so reusing one is harmless.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDir } from '../../local-fs/ensure-dir.js';
import { BlobStateStore } from './blob-state-store.js';
import {
  type VersionedBlob,
  type VersionedBlobStore,
  type WriteCondition,
  WriteConditionFailed,
} from './versioned-blob-store.js';

export interface LocalFileStateStoreOptions {
  /** The output folder; state goes under `<dir>/_state/`. */
  readonly dir: string;
  /** How long to wait for another process's lock before giving up (default 5 s). */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is left over from a crash and removed (default 30 s). */
  readonly staleLockMs?: number;
}

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';

  constructor(lockPath: string, waitedMs: number) {
    super(
      `Could not lock ${lockPath} within ${waitedMs} ms: another okta-flow process is writing state. ` +
        'Wait for it to finish; if none is running, delete the .lock file.',
    );
  }
}

function versionOf(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class LocalFileBlobStore implements VersionedBlobStore {
  private readonly root: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;

  constructor(options: LocalFileStateStoreOptions) {
    this.root = join(options.dir, '_state');
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
  }

  pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<VersionedBlob | null> {
    try {
      const body = await readFile(this.pathOf(key), 'utf8');
      return { body, version: versionOf(body) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(key: string, body: string, condition: WriteCondition): Promise<string> {
    const path = this.pathOf(key);
    await ensureDir(dirname(path));
    return this.withLock(`${path}.lock`, async () => {
      const current = await this.get(key);
      const holds = 'ifNoneMatch' in condition ? current === null : current?.version === condition.ifMatch;
      if (!holds) throw new WriteConditionFailed(path);
      const temporary = `${path}.${randomUUID()}.tmp`;
      await writeFile(temporary, body, { mode: 0o600 });
      await rename(temporary, path);
      return versionOf(body);
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private async withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (await this.isStale(lockPath)) {
          await rm(lockPath, { force: true });
          continue;
        }
        if (Date.now() - started > this.lockTimeoutMs) throw new LockTimeoutError(lockPath, this.lockTimeoutMs);
        await sleep(5 + Math.random() * 10);
      }
    }
    try {
      return await work();
    } finally {
      await rm(lockPath, { force: true });
    }
  }

  private async isStale(lockPath: string): Promise<boolean> {
    try {
      return Date.now() - (await stat(lockPath)).mtimeMs > this.staleLockMs;
    } catch {
      return false;
    }
  }
}

export class LocalFileStateStore extends BlobStateStore {
  readonly files: LocalFileBlobStore;

  constructor(options: LocalFileStateStoreOptions) {
    const files = new LocalFileBlobStore(options);
    super(files);
    this.files = files;
  }
}
