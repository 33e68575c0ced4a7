/** `SecretStore` implementations: Secrets Manager (AWS) and in-memory (tests, CLI dry runs). */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { OktaCredentialsError } from '../errors.js';
import type { SecretStore } from './types.js';

export class SecretsManagerSecretStore implements SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    /** Name or ARN of the secret. */
    private readonly secretId: string,
  ) {}

  async read(): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (typeof out.SecretString !== 'string') {
      throw new OktaCredentialsError(
        `Secret ${this.secretId} has no SecretString; store the Okta credentials as a JSON string.`,
      );
    }
    return out.SecretString;
  }

  async write(json: string): Promise<void> {
    await this.client.send(new PutSecretValueCommand({ SecretId: this.secretId, SecretString: json }));
  }

  async readVersioned(): Promise<{ value: string; version: string }> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (typeof out.SecretString !== 'string' || !out.VersionId) {
      throw new OktaCredentialsError(
        `Secret ${this.secretId} has no SecretString; store the Okta credentials as a JSON string.`,
      );
    }
    return { value: out.SecretString, version: out.VersionId };
  }

  /**
   * Compare-and-swap on AWSCURRENT: stage the new value under a private label, then move AWSCURRENT to it with
   * `RemoveFromVersionId` = the version we read. Secrets Manager refuses the move when AWSCURRENT has meanwhile been
   * moved by another writer, which is exactly the lost-update case. (IAM: PutSecretValue + UpdateSecretVersionStage.)
   */
  async writeIfVersion(json: string, expectedVersion: string): Promise<boolean> {
    const put = await this.client.send(
      new PutSecretValueCommand({ SecretId: this.secretId, SecretString: json, VersionStages: [PENDING_STAGE] }),
    );
    if (!put.VersionId) throw new OktaCredentialsError(`Secrets Manager returned no VersionId for ${this.secretId}.`);
    try {
      await this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: this.secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: put.VersionId,
          RemoveFromVersionId: expectedVersion,
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: unknown }).name === 'InvalidParameterException') return false;
      throw err;
    }
  }
}

const PENDING_STAGE = 'OKTAFLOW_PENDING';

/** Keeps the secret in memory, with versions for compare-and-swap; `writes` counts them for tests. */
export class InMemorySecretStore implements SecretStore {
  writes = 0;
  private version = 1;
  constructor(private value: string) {}
  async read(): Promise<string> {
    return this.value;
  }
  async write(json: string): Promise<void> {
    this.value = json;
    this.version++;
    this.writes++;
  }
  async readVersioned(): Promise<{ value: string; version: string }> {
    return { value: this.value, version: String(this.version) };
  }
  async writeIfVersion(json: string, expectedVersion: string): Promise<boolean> {
    if (String(this.version) !== expectedVersion) return false;
    await this.write(json);
    return true;
  }
}
