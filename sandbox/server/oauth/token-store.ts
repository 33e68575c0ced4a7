/** What the sandbox remembers about an access token (looked up by value: no signature check per request). */
export interface AccessTokenRecord {
  readonly clientId: string;
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly expiresAtMs: number;
  revoked: boolean;
}

/** A refresh-token family: every token rotated from one consent. Reuse detection revokes the whole family. */
export interface RefreshChain {
  readonly id: string;
  readonly clientId: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  /** Absolute expiry: consent time + the refresh-token lifetime (rotation does not extend it). */
  readonly expiresAtMs: number;
  revoked: boolean;
  current: string;
  readonly accessTokens: Set<string>;
}

export interface RefreshTokenRecord {
  readonly chain: RefreshChain;
  /** When a newer token replaced this one (null while it is the chain's current token). */
  rotatedAtMs: number | null;
}

export interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly codeChallenge: string;
  readonly subject: string;
  readonly expiresAtMs: number;
  used: boolean;
  /** Tokens minted from this code: a replayed code revokes them (RFC 6749 §4.1.2). */
  readonly accessTokens: string[];
  chain: RefreshChain | null;
}

export class TokenStore {
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** `jti` of accepted client assertions, until their `exp` (ms). */
  readonly assertionIds = new Map<string, number>();

  revokeChain(chain: RefreshChain): void {
    chain.revoked = true;
    for (const token of chain.accessTokens) this.revokeAccessToken(token);
  }

  revokeAccessToken(token: string): void {
    const record = this.accessTokens.get(token);
    if (record) record.revoked = true;
  }

  /** The "token expires mid-run" fault: every access token issued so far stops working. */
  revokeAllAccessTokens(): number {
    let count = 0;
    for (const record of this.accessTokens.values()) {
      if (!record.revoked) count += 1;
      record.revoked = true;
    }
    return count;
  }

  /** Drops expired entries so long-running sandboxes do not grow without bound. */
  sweep(nowMs: number): void {
    for (const [token, record] of this.accessTokens) if (record.expiresAtMs <= nowMs) this.accessTokens.delete(token);
    for (const [code, record] of this.codes) if (record.expiresAtMs <= nowMs && !record.used) this.codes.delete(code);
    for (const [jti, expMs] of this.assertionIds) if (expMs <= nowMs) this.assertionIds.delete(jti);
  }
}
