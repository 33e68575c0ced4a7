import { describe, expect, it } from 'vitest';
import { credentialsFromSecret, parseOktaSecret } from '../../../../lambdas/okta/auth/index.js';
import { OktaCredentialsError } from '../../../../lambdas/okta/errors.js';

function failure(input: string | Record<string, unknown>): OktaCredentialsError {
  try {
    parseOktaSecret(input);
  } catch (err) {
    if (err instanceof OktaCredentialsError) return err;
    throw err;
  }
  throw new Error('expected OktaCredentialsError');
}

describe('parseOktaSecret', () => {
  it('accepts an API token, and AppFlow’s apiKey spelling', () => {
    expect(parseOktaSecret('{"type":"apiToken","apiToken":"00abc"}')).toEqual({ type: 'apiToken', apiToken: '00abc' });
    expect(parseOktaSecret({ apiKey: '00abc' })).toEqual({ type: 'apiToken', apiToken: '00abc' });
  });

  it('accepts oauth2 with a default client_secret_basic and keeps extra keys for write-back', () => {
    const s = parseOktaSecret({
      type: 'oauth2',
      clientId: '0oa1',
      clientSecret: 'cs',
      refreshToken: 'rt',
      consentedAt: '2026-01-01T00:00:00.000Z',
      note: 'kept',
    });
    expect(s).toMatchObject({ type: 'oauth2', tokenEndpointAuthMethod: 'client_secret_basic', note: 'kept' });
  });

  it('accepts privateKeyJwt with a JWK (kid inside) or a PEM + keyId, scopes as array or string', () => {
    expect(
      parseOktaSecret({
        type: 'privateKeyJwt',
        clientId: 'c',
        privateKey: { kty: 'RSA', d: 'x', kid: 'k' },
        scopes: 'a b',
      }),
    ).toMatchObject({ scopes: ['a', 'b'] });
    expect(
      parseOktaSecret({
        type: 'privateKeyJwt',
        clientId: 'c',
        privateKey: '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----',
        keyId: 'k',
        scopes: ['okta.users.read'],
      }),
    ).toMatchObject({ keyId: 'k' });
  });

  it('names missing keys, and never quotes values', () => {
    const err = failure({ type: 'oauth2', clientId: 'c', clientSecret: 'TOPSECRET-1' });
    expect(err.keys).toEqual(['refreshToken']);
    expect(err.message).toMatch(/key "refreshToken" is missing/);
    expect(err.message).not.toContain('TOPSECRET-1');
  });

  it('names invalid keys', () => {
    const err = failure({
      type: 'oauth2',
      clientId: 'c',
      clientSecret: 'TOPSECRET-2',
      refreshToken: 'TOPSECRET-3',
      tokenEndpointAuthMethod: 'TOPSECRET-4',
    });
    expect(err.keys).toEqual(['tokenEndpointAuthMethod']);
    expect(err.message).toMatch(/key "tokenEndpointAuthMethod" is invalid.*client_secret_basic/);
    expect(err.message).not.toMatch(/TOPSECRET/);
  });

  it('requires keyId when the JWK has no kid', () => {
    const err = failure({ type: 'privateKeyJwt', clientId: 'c', privateKey: { kty: 'EC', d: 'x' }, scopes: ['s'] });
    expect(err.keys).toEqual(['keyId']);
  });

  it('rejects unknown types, non-objects and invalid JSON without echoing the content', () => {
    expect(failure({ type: 'basic', password: 'TOPSECRET-5' }).keys).toEqual(['type']);
    expect(failure('["TOPSECRET-6"]').message).toMatch(/must be a JSON object/);
    const bad = failure('{"apiToken": "TOPSECRET-7"');
    expect(bad.message).toMatch(/not valid JSON/);
    expect(bad.message).not.toContain('TOPSECRET-7');
    expect(bad.cause).toBeUndefined();
  });

  it('builds the matching provider', () => {
    expect(credentialsFromSecret('{"apiToken":"00x"}', { origin: 'https://a.okta.com' }).describe()).toMatch(/SSWS/);
    expect(
      credentialsFromSecret(
        {
          type: 'oauth2',
          clientId: '0oa9',
          clientSecret: 's',
          refreshToken: 'r',
          tokenEndpointAuthMethod: 'client_secret_post',
        },
        { origin: 'https://a.okta.com' },
      ).describe(),
    ).toMatch(/refresh token for client 0oa9/);
  });
});
