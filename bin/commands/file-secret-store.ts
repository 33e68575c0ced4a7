import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import type { SecretStore } from '../../lambdas/okta/auth/types.js';

/**
 * A local secret JSON file (from `okta-flow connect --print` or `--secret-file`) used as the credentials store of a
 * CLI run. Okta rotates OAuth refresh tokens, and reusing a rotated one after its grace period revokes the whole
 * token chain, so the new refresh token must be written back to the file before it is used — exactly what the
 * Secrets Manager store does in the Lambdas.
 *
 * Versioned like Secrets Manager: the version of the file is the SHA-256 of its content, and `writeIfVersion` is a
 * compare-and-swap under an exclusive lock (proper-lockfile: `<file>.lock`, stale after 10 s), so two CLI runs that
 * share one secret file cannot overwrite each other's rotation. Writes are atomic (temp file + rename) and the file
 * stays readable by its owner only.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly path: string) {}

  /** The file as it is now (for parsing before anything runs). */
  readSync(): string {
    return readFileSync(this.path, 'utf8');
  }

  async read(): Promise<string> {
    return this.readSync();
  }

  async write(json: string): Promise<void> {
    await this.locked(async () => this.replace(json));
  }

  async readVersioned(): Promise<{ value: string; version: string }> {
    const value = this.readSync();
    return { value, version: versionOf(value) };
  }

  async writeIfVersion(json: string, expectedVersion: string): Promise<boolean> {
    return this.locked(async () => {
      if (versionOf(this.readSync()) !== expectedVersion) return false;
      this.replace(json);
      return true;
    });
  }

  private replace(json: string): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, json, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    // Retries for up to ~3 s: another CLI run holds the lock only for one read + rename.
    const release = await lockfile.lock(this.path, {
      stale: 10_000,
      retries: { retries: 30, minTimeout: 20, maxTimeout: 200 },
      realpath: false,
    });
    try {
      return await work();
    } finally {
      await release();
    }
  }
}

function versionOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
