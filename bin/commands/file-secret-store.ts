import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../../lambdas/okta/auth/index.js';

/**
 * A local secret JSON file (from `okta-flow connect --print`) used as the credentials store of a CLI run. Okta
 * rotates OAuth refresh tokens, and reusing a rotated one after its grace period revokes the whole token chain, so
 * the new refresh token must be written back to the file before it is used — exactly what the Secrets Manager store
 * does in the Lambdas. Writes are atomic (temp file + rename) and the file stays readable by its owner only.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly path: string) {}

  async read(): Promise<string> {
    return readFileSync(this.path, 'utf8');
  }

  async write(json: string): Promise<void> {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, json, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}
