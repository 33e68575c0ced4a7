/** Okta API token (SSWS). Inherits the creating admin's privileges; expires after 30 days unused. */
import { OktaCredentialsError } from '../errors.js';
import type { AuthorizationHeader, CredentialProvider } from './types.js';

export class ApiTokenCredentials implements CredentialProvider {
  readonly #header: AuthorizationHeader;
  readonly #token: string;
  constructor(apiToken: string) {
    const token = apiToken.trim();
    if (!token || /\s/.test(token)) {
      throw new OktaCredentialsError('The Okta API token is empty or contains whitespace (key "apiToken").', [
        'apiToken',
      ]);
    }
    this.#token = token;
    this.#header = { header: `SSWS ${token}`, kind: 'ssws' };
  }
  secrets(): readonly string[] {
    return [this.#token];
  }
  async authorize(): Promise<AuthorizationHeader> {
    return this.#header;
  }
  describe(): string {
    return 'Okta API token (SSWS)';
  }
  toJSON(): string {
    return this.describe();
  }
}
