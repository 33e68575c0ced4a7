import { describe, expect, it } from 'vitest';
import { WANTED_OPERATIONS } from '../../../scripts/openapi-subset/wanted-operations.js';
import {
  matchTemplate,
  oktaContract,
  SPEC_CORRECTIONS,
  validateRequest,
  validateResponse,
} from '../../contract/openapi-contract.js';

const ts = '2024-05-06T07:08:09.123Z';
const user = {
  id: '00u1a2b3c4d5e6f7g8h9',
  status: 'ACTIVE',
  created: ts,
  activated: ts,
  statusChanged: null,
  lastLogin: null,
  lastUpdated: ts,
  passwordChanged: null,
  type: { id: 'oty1a2b3c4d5e6f7g8h9' },
  profile: {
    login: 'zoe.muller@example.com',
    email: 'zoe.muller@example.com',
    firstName: 'Zoë',
    lastName: 'Müller',
    mobilePhone: null,
    // Custom attributes: UserProfile is additionalProperties: true.
    costCenterCode: 42,
    isContractor: false,
    skills: ['go', 'ts'],
  },
  credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
  _links: { self: { href: 'https://example.okta.com/api/v1/users/00u1a2b3c4d5e6f7g8h9' } },
};

const oidcApp = {
  id: '0oa1a2b3c4d5e6f7g8h9',
  name: 'oidc_client',
  label: 'Payroll',
  status: 'ACTIVE',
  signOnMode: 'OPENID_CONNECT',
  created: ts,
  lastUpdated: ts,
  credentials: {
    oauthClient: { client_id: '0oa1a2b3c4d5e6f7g8h9', token_endpoint_auth_method: 'client_secret_basic' },
  },
  settings: {
    oauthClient: {
      redirect_uris: ['https://payroll.example.com/cb'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  },
};

function errorsOf(result: ReturnType<typeof validateResponse>): string[] {
  return result.ok ? [] : result.errors;
}

describe('validateResponse', () => {
  it('accepts a valid user list, including nulls and custom profile attributes', () => {
    expect(validateResponse('GET', '/api/v1/users', 200, [user])).toEqual({ ok: true });
  });

  it('accepts the spec template with different parameter names', () => {
    expect(validateResponse('GET', '/api/v1/users/{userId}', 200, user)).toEqual({ ok: true });
  });

  it('rejects a wrong type with the JSON path, the expectation and the value', () => {
    const errors = errorsOf(
      validateResponse('GET', '/api/v1/users', 200, [{ ...user, profile: { ...user.profile, email: 7 } }]),
    );
    expect(errors).toEqual(['GET /api/v1/users → 200: at /0/profile/email: must be string, got 7']);
  });

  it('rejects a bad enum value listing the allowed values', () => {
    const [error] = errorsOf(validateResponse('GET', '/api/v1/users/{id}', 200, { ...user, status: 'ENABLED' }));
    expect(error).toContain('at /status: must be equal to one of the allowed values');
    expect(error).toContain('"DEPROVISIONED"');
    expect(error).toContain('got "ENABLED"');
  });

  it('rejects a timestamp that is not date-time', () => {
    const errors = errorsOf(validateResponse('GET', '/api/v1/users/{id}', 200, { ...user, created: '2024-05-06' }));
    expect(errors).toEqual([expect.stringContaining('at /created: must match format "date-time"')]);
  });

  it('rejects null where the spec does not say nullable', () => {
    const errors = errorsOf(validateResponse('GET', '/api/v1/users/{id}', 200, { ...user, created: null }));
    expect(errors).toEqual([expect.stringContaining('at /created: must be string, got null')]);
  });

  it('rejects writeOnly secrets in a response', () => {
    const leaked = { ...user, credentials: { password: { value: 'hunter2' } } };
    const errors = errorsOf(validateResponse('GET', '/api/v1/users/{id}', 200, leaked));
    expect(errors).toEqual([expect.stringContaining('at /credentials/password/value: is writeOnly')]);
  });

  it('dispatches applications on signOnMode to the subtype schema', () => {
    expect(validateResponse('GET', '/api/v1/apps', 200, [oidcApp])).toEqual({ ok: true });
    // OpenIdConnectApplication requires settings; the base Application does not.
    const { settings: _settings, ...noSettings } = oidcApp;
    const errors = errorsOf(validateResponse('GET', '/api/v1/apps', 200, [noSettings]));
    expect(errors).toEqual([expect.stringContaining("at /0: must have required property 'settings'")]);
  });

  it('validates an unknown signOnMode against the base schema (documented relaxation)', () => {
    const future = { ...oidcApp, name: 'future_app', signOnMode: 'PASSWORDLESS_FUTURE' };
    expect(validateResponse('GET', '/api/v1/apps/{appId}', 200, future)).toEqual({ ok: true });
    const garbage = { ...oidcApp, signOnMode: 'not a mode' };
    expect(errorsOf(validateResponse('GET', '/api/v1/apps/{appId}', 200, garbage))).toEqual([
      expect.stringContaining('at /signOnMode: must match pattern'),
    ]);
    const missing = { ...oidcApp, signOnMode: undefined };
    expect(errorsOf(validateResponse('GET', '/api/v1/apps/{appId}', 200, missing))).toEqual([
      expect.stringContaining("must have required property 'signOnMode'"),
    ]);
  });

  it('accepts device status CREATED (documented relaxation) but not other values', () => {
    const device = {
      id: 'guo1a2b3c4d5e6f7g8h9',
      status: 'CREATED',
      created: ts,
      lastUpdated: ts,
      profile: { displayName: 'Laptop', platform: 'MACOS', registered: true },
    };
    expect(validateResponse('GET', '/api/v1/devices/{deviceId}', 200, device)).toEqual({ ok: true });
    expect(errorsOf(validateResponse('GET', '/api/v1/devices/{deviceId}', 200, { ...device, status: 'NEW' }))).toEqual([
      expect.stringContaining('at /status: must be equal to one of the allowed values'),
    ]);
    const noPlatform = { ...device, profile: { displayName: 'Laptop', registered: true } };
    expect(errorsOf(validateResponse('GET', '/api/v1/devices/{deviceId}', 200, noPlatform))).toEqual([
      expect.stringContaining("at /profile: must have required property 'platform'"),
    ]);
  });

  it('validates declared and undeclared error statuses against the Error schema', () => {
    const error = {
      errorCode: 'E0000031',
      errorSummary: 'Invalid search.',
      errorLink: 'E0000031',
      errorId: 'oae1a2b3c4d5e6f7g8h9',
      errorCauses: [{ errorSummary: 'Invalid search criteria.' }],
    };
    expect(validateResponse('GET', '/api/v1/users', 400, error)).toEqual({ ok: true });
    expect(validateResponse('GET', '/api/v1/users/{id}', 404, error)).toEqual({ ok: true });
    expect(errorsOf(validateResponse('GET', '/api/v1/users/{id}', 404, { ...error, errorCauses: 'none' }))).toEqual([
      expect.stringContaining('at /errorCauses: must be array'),
    ]);
  });

  it('uses OAuthError on the token endpoint and accepts the redirect of authorize', () => {
    expect(
      validateResponse('POST', '/oauth2/v1/token', 400, { error: 'invalid_grant', error_description: 'x' }),
    ).toEqual({ ok: true });
    expect(errorsOf(validateResponse('POST', '/oauth2/v1/token', 400, { error: 1 }))).toHaveLength(1);
    expect(validateResponse('GET', '/oauth2/v1/authorize', 302, undefined)).toEqual({ ok: true });
    expect(errorsOf(validateResponse('GET', '/oauth2/v1/authorize', 302, { a: 1 }))).toHaveLength(1);
  });

  it('rejects an undeclared success status and an unknown operation', () => {
    expect(errorsOf(validateResponse('GET', '/api/v1/users', 201, []))[0]).toContain('status 201 is not declared');
    expect(errorsOf(validateResponse('GET', '/api/v1/roles', 200, []))[0]).toContain('not in the contract fixture');
    expect(errorsOf(validateResponse('PATCH', '/api/v1/users/{id}', 204, undefined))[0]).toContain(
      'not in the contract fixture',
    );
  });
});

describe('validateRequest', () => {
  it('accepts declared parameters with valid values', () => {
    expect(validateRequest('GET', '/api/v1/users?limit=200&search=status%20pr&after=00u1')).toEqual({ ok: true });
    expect(validateRequest('GET', 'https://example.okta.com/api/v1/devices?expand=userSummary')).toEqual({ ok: true });
  });

  it('rejects undeclared parameters, bad enum values, out-of-range and non-integer limits', () => {
    expect(validateRequest('GET', '/api/v1/users?bogus=1')).toEqual({
      ok: false,
      errors: [expect.stringContaining('query parameter "bogus" is not declared for GET /api/v1/users')],
    });
    expect(validateRequest('GET', '/api/v1/devices?expand=users')).toEqual({
      ok: false,
      errors: ['query parameter "expand"="users" must be equal to one of the allowed values ("user", "userSummary")'],
    });
    expect(validateRequest('GET', '/api/v1/logs?limit=1001')).toEqual({
      ok: false,
      errors: ['query parameter "limit"="1001" must be <= 1000'],
    });
    expect(validateRequest('GET', '/api/v1/groups?limit=ten')).toEqual({
      ok: false,
      errors: ['query parameter "limit"="ten" is not an integer'],
    });
    expect(validateRequest('GET', '/api/v1/apps?useOptimization=yes')).toEqual({
      ok: false,
      errors: ['query parameter "useOptimization"="yes" is not a boolean (true|false)'],
    });
  });

  it('reports missing required parameters and unknown paths or methods', () => {
    const authorize = validateRequest('GET', '/oauth2/v1/authorize?client_id=abc&response_type=code');
    expect(authorize.ok).toBe(false);
    expect(authorize.ok ? [] : authorize.errors).toContain('required query parameter "state" is missing');
    expect(validateRequest('GET', '/api/v1/roles')).toEqual({
      ok: false,
      errors: ['GET /api/v1/roles matches no path in the contract fixture'],
    });
    expect(validateRequest('PATCH', '/api/v1/users')).toEqual({
      ok: false,
      errors: ['PATCH is not a contract operation on /api/v1/users'],
    });
  });
});

describe('matchTemplate', () => {
  it('matches concrete paths to spec templates, preferring literal segments', () => {
    expect(matchTemplate('/api/v1/users/00u1/groups')).toEqual({
      spec: 'management',
      template: '/api/v1/users/{id}/groups',
      pathParams: { id: '00u1' },
    });
    expect(matchTemplate('/api/v1/meta/types/user')?.template).toBe('/api/v1/meta/types/user');
    expect(matchTemplate('/api/v1/meta/schemas/user/default')?.pathParams).toEqual({ schemaId: 'default' });
    expect(matchTemplate('/oauth2/v1/token')?.spec).toBe('oauth');
    expect(matchTemplate('/api/v1/users/')).toBeNull();
    expect(matchTemplate('/api/v1/nothing')).toBeNull();
  });
});

describe('undocumentedProperties', () => {
  it('lists properties no schema declares at their place, through allOf and discriminator dispatch', () => {
    const extra = {
      ...oidcApp,
      colour: 'red',
      settings: { ...oidcApp.settings, oauthClient: { ...oidcApp.settings.oauthClient, flavour: 1 } },
    };
    expect(oktaContract().undocumentedProperties('GET', '/api/v1/apps/{appId}', 200, extra).sort()).toEqual([
      '/colour',
      '/settings/oauthClient/flavour',
    ]);
    expect(oktaContract().undocumentedProperties('GET', '/api/v1/apps/{appId}', 200, oidcApp)).toEqual([]);
  });

  it('keeps objects the spec declares extensible open (custom profile attributes)', () => {
    expect(oktaContract().undocumentedProperties('GET', '/api/v1/users', 200, [user])).toEqual([]);
    expect(oktaContract().undocumentedProperties('GET', '/api/v1/users', 200, [{ ...user, nickname: 'z' }])).toEqual([
      '/0/nickname',
    ]);
  });
});

describe('the fixture', () => {
  it('holds every operation the project uses, and each spec correction gives a reason', () => {
    const ops = oktaContract()
      .listOperations()
      .map((o) => `${o.method} ${o.template}`);
    expect(ops).toHaveLength(WANTED_OPERATIONS.length);
    expect(ops).toContain('PUT /api/v1/groups/{groupId}/users/{userId}');
    expect(ops).toContain('GET /api/v1/logs');
    expect(ops).toContain('POST /oauth2/v1/token');
    for (const correction of SPEC_CORRECTIONS) expect(correction.reason.length).toBeGreaterThan(40);
  });
});
