/** A Bearer access token managed elsewhere (e.g. by Amazon AppFlow, which refreshes it and passes it in). */
import { OktaCredentialsError } from '../errors.js';
import type { AuthorizationHeader, CredentialProvider } from './types.js';

export class StaticBearerCredentials implements CredentialProvider {
  readonly #header: AuthorizationHeader;
  readonly #token: string;
  constructor(accessToken: string) {
    const token = accessToken.trim();
    if (!token || /\s/.test(token)) {
      throw new OktaCredentialsError('The OAuth access token is empty or contains whitespace (key "accessToken").', [
        'accessToken',
      ]);
    }
    this.#token = token;
    this.#header = { header: `Bearer ${token}`, kind: 'bearer' };
  }
  secrets(): readonly string[] {
    return [this.#token];
  }
  async authorize(): Promise<AuthorizationHeader> {
    return this.#header;
  }
  describe(): string {
    return 'OAuth access token supplied by the caller (Bearer)';
  }
  toJSON(): string {
    return this.describe();
  }
}
