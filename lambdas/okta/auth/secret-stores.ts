/** `SecretStore` implementations: Secrets Manager (AWS) and in-memory (tests, CLI dry runs). */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
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
}

/** Keeps the secret in memory; `writes` counts versions for tests. */
export class InMemorySecretStore implements SecretStore {
  writes = 0;
  constructor(private value: string) {}
  async read(): Promise<string> {
    return this.value;
  }
  async write(json: string): Promise<void> {
    this.value = json;
    this.writes++;
  }
}
