import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SigningKey {
  readonly privateKey: CryptoKey;
  /** Public JWK with `kid`, `alg` and `use`, as published at /oauth2/v1/keys. */
  readonly publicJwk: JWK;
}

export interface ClientKeyPair {
  /** Private JWK (with `kid` and `alg`) a test or client uses to sign `private_key_jwt` assertions. */
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export interface SandboxKeys {
  /** The org authorization server's access-token signing key. */
  readonly signing: SigningKey;
  /** The default service app's key pair. */
  readonly service: ClientKeyPair;
}

let cached: Promise<SandboxKeys> | undefined;

/**
 * RSA key generation costs tens of milliseconds, so one set of keys serves every sandbox in a process. Sandbox
 * keys guard nothing real; only their shape matters.
 */
export function sandboxKeys(): Promise<SandboxKeys> {
  cached ??= generateKeys();
  return cached;
}

async function generateKeys(): Promise<SandboxKeys> {
  const [signingPair, servicePair] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
  ]);
  const signingPublic = await exportJWK(signingPair.publicKey);
  const signingKid = await calculateJwkThumbprint(signingPublic);
  const servicePublic = await exportJWK(servicePair.publicKey);
  const servicePrivate = await exportJWK(servicePair.privateKey);
  const serviceKid = await calculateJwkThumbprint(servicePublic);
  return {
    signing: {
      privateKey: signingPair.privateKey,
      publicJwk: { ...signingPublic, kid: signingKid, alg: 'RS256', use: 'sig' },
    },
    service: {
      privateJwk: { ...servicePrivate, kid: serviceKid, alg: 'RS256' },
      publicJwk: { ...servicePublic, kid: serviceKid, alg: 'RS256', use: 'sig' },
    },
  };
}
