import { describe, expect, it } from 'vitest';
import { authenticate, checkScope } from '../../../../sandbox/server/auth.js';
import type { AccessTokenRecord } from '../../../../sandbox/server/oauth/token-store.js';

const record: AccessTokenRecord = {
  clientId: '0oa1',
  subject: '00u1',
  scopes: new Set(['okta.users.read', 'okta.groups.manage']),
  expiresAtMs: Number.MAX_SAFE_INTEGER,
  revoked: false,
};
const credentials = { apiToken: '00secret', accessToken: (token: string) => (token === 'good' ? record : null) };
const realm = 'http://127.0.0.1:1';

describe('authenticate', () => {
  it('maps headers to principals or Okta errors', () => {
    expect(authenticate('SSWS 00secret', credentials, realm)).toEqual({ principal: { kind: 'ssws', key: 'ssws' } });
    expect(authenticate('Bearer good', credentials, realm)).toMatchObject({
      principal: { kind: 'bearer', key: 'client:0oa1' },
    });
    expect(authenticate(undefined, credentials, realm)).toMatchObject({
      error: { status: 403, errorCode: 'E0000005' },
    });
    expect(authenticate('Basic abc', credentials, realm)).toMatchObject({
      error: { status: 403, errorCode: 'E0000005' },
    });
    expect(authenticate('SSWS good', credentials, realm)).toMatchObject({
      error: { status: 401, errorCode: 'E0000011' },
    });
    expect(authenticate('Bearer 00secret', credentials, realm)).toMatchObject({
      error: { status: 401, errorCode: 'E0000011' },
    });
  });
});

describe('checkScope', () => {
  const bearer = { kind: 'bearer' as const, key: 'client:0oa1', token: record };

  it('lets SSWS read everything and Bearer read what its scopes (or .manage) allow', () => {
    expect(checkScope({ kind: 'ssws', key: 'ssws' }, 'okta.logs.read', realm, '/api/v1/logs')).toBeNull();
    expect(checkScope(bearer, 'okta.users.read', realm, '/api/v1/users')).toBeNull();
    expect(checkScope(bearer, 'okta.groups.read', realm, '/api/v1/groups')).toBeNull();
  });

  it('answers a missing scope with 403 E0000006 and an insufficient_scope challenge', () => {
    const denied = checkScope(bearer, 'okta.logs.read', realm, '/api/v1/logs');
    expect(denied).toMatchObject({ status: 403, errorCode: 'E0000006' });
    expect(denied?.headers?.['WWW-Authenticate']).toContain('error="insufficient_scope"');
    expect(denied?.headers?.['WWW-Authenticate']).toContain('scope="okta.logs.read"');
  });
});
