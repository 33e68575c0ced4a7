/**
 * Wire format of every request type, with requests shaped as AppFlow sends them (Java SDK spelling) and responses
 * checked key by key, null keys included.
 */
import { describe, expect, it } from 'vitest';
import { handleConnectorRequest } from '../../../lambdas/appflow/index.js';
import { API_KEY, context, fakeDeps, fakeOkta, type LogLine, memoryLogger, SECRET_ARN, users } from './fake-okta.js';

const USERS = users(5);
const SCHEMA = {
  definitions: { custom: { properties: { costCode: { type: 'string', title: 'Cost code' } } } },
};

function setup() {
  const okta = fakeOkta({ '/api/v1/users': USERS }, SCHEMA);
  return { okta, deps: fakeDeps(okta) };
}

const keys = (o: unknown) => Object.keys(o as object).sort();

describe('DescribeConnectorConfigurationRequest', () => {
  it('answers source-mode configuration with API key and OAuth2 authorization code', async () => {
    const { deps, okta } = setup();
    const res = await handleConnectorRequest(
      { type: 'DescribeConnectorConfigurationRequest', locale: 'en-US', connectorLabel: null },
      deps,
    );
    expect(keys(res)).toEqual(
      [
        'isSuccess',
        'errorDetails',
        'connectorOwner',
        'connectorName',
        'connectorVersion',
        'connectorModes',
        'authenticationConfig',
        'connectorRuntimeSetting',
        'supportedApiVersions',
        'operatorsSupported',
        'supportedTriggerTypes',
        'triggerFrequenciesSupported',
        'supportedWriteOperations',
        'logoURL',
        'supportedDataTransferTypes',
      ].sort(),
    );
    expect(res.isSuccess).toBe(true);
    expect(res.errorDetails).toBeNull();
    for (const key of ['connectorOwner', 'connectorName'] as const) {
      expect(res[key]).toMatch(/^(?!aws|amazon|appflow)/i);
    }
    expect(res.connectorVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.connectorModes).toEqual(['SOURCE', 'DESTINATION']);
    expect(res.authenticationConfig).toEqual({
      isBasicAuthSupported: false,
      isApiKeyAuthSupported: true,
      isOAuth2Supported: true,
      isCustomAuthSupported: false,
      oAuth2Defaults: {
        oAuthScopes: [
          'okta.apps.read',
          'okta.devices.read',
          'okta.groups.read',
          'okta.logs.read',
          'okta.users.read',
          'okta.userTypes.read',
          'okta.roles.read',
          'okta.schemas.read',
          'offline_access',
        ],
        tokenURL: ['https://{{oktaDomain}}/oauth2/v1/token'],
        authURL: ['https://{{oktaDomain}}/oauth2/v1/authorize'],
        oAuth2GrantTypesSupported: ['AUTHORIZATION_CODE'],
        oAuth2ContentType: 'URL_ENCODED',
        oAuth2MethodType: 'HTTP_POST',
        oauth2CustomProperties: null,
        addBasicAuthHeader: true,
      },
      customAuthConfig: null,
    });
    expect(res.connectorRuntimeSetting).toEqual([
      {
        key: 'oktaDomain',
        dataType: 'String',
        required: true,
        label: 'Okta domain',
        description: expect.stringContaining('acme.okta.com'),
        scope: 'CONNECTOR_PROFILE',
        connectorSuppliedValueOptions: null,
      },
    ]);
    expect(res.supportedApiVersions).toEqual(['v1']);
    expect(res.operatorsSupported).toEqual(expect.arrayContaining(['PROJECTION', 'BETWEEN', 'CONTAINS', 'NO_OP']));
    expect(res.supportedTriggerTypes).toEqual(['SCHEDULED', 'ONDEMAND']);
    expect(res.triggerFrequenciesSupported).toEqual(['BYMINUTE', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ONCE']);
    expect(res.supportedWriteOperations).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(res.logoURL).toBeNull();
    expect(res.supportedDataTransferTypes).toEqual(['RECORD']);
    expect(okta.requests).toEqual([]);
  });
});

describe('ValidateConnectorRuntimeSettingsRequest', () => {
  const req = (oktaDomain: string | undefined, scope = 'CONNECTOR_PROFILE') => ({
    type: 'ValidateConnectorRuntimeSettingsRequest',
    scope,
    connectorRuntimeSettings: oktaDomain === undefined ? {} : { oktaDomain },
    authenticationType: 'ApiKey',
  });

  it.each(['acme.okta.com', 'https://acme.oktapreview.com', 'acme.okta-emea.com'])('accepts %s', async (domain) => {
    const res = await handleConnectorRequest(req(domain), setup().deps);
    expect(res).toEqual({ isSuccess: true, errorDetails: null, errorsByInputField: null });
  });

  it.each([
    ['evil.example.com', /not an Okta domain/],
    ['http://acme.okta.com', /https/],
    ['acme.okta.com/oauth2/default', /without a path/],
    ['', /oktaDomain/],
    [undefined, /oktaDomain/],
  ])('rejects %s with errorsByInputField.oktaDomain', async (domain, message) => {
    const res = await handleConnectorRequest(req(domain), setup().deps);
    expect(keys(res)).toEqual(['errorDetails', 'errorsByInputField', 'isSuccess']);
    expect(res.isSuccess).toBe(false);
    expect(res.errorDetails).toEqual({
      errorCode: 'InvalidArgument',
      errorMessage: expect.stringMatching(message),
      retryAfterSeconds: null,
    });
    expect(res.errorsByInputField).toEqual({ oktaDomain: expect.stringMatching(message) });
  });

  it('has nothing to validate for a flow (SOURCE scope) without settings', async () => {
    const res = await handleConnectorRequest(req(undefined, 'SOURCE'), setup().deps);
    expect(res).toEqual({ isSuccess: true, errorDetails: null, errorsByInputField: null });
  });
});

describe('ValidateCredentialsRequest', () => {
  const req = {
    type: 'ValidateCredentialsRequest',
    credentials: { secretArn: SECRET_ARN, authenticationType: 'ApiKey' },
    connectorRuntimeSettings: { oktaDomain: 'acme.okta.com' },
  };

  it('makes one cheap Okta call with SSWS <apiKey>', async () => {
    const { deps, okta } = setup();
    const res = await handleConnectorRequest(req, deps);
    expect(res).toEqual({ isSuccess: true, errorDetails: null });
    expect(okta.requests).toEqual(['/api/v1/users?limit=1']);
  });

  it('answers InvalidCredentials when Okta rejects the key, and never echoes it', async () => {
    const okta = fakeOkta({ '/api/v1/users': USERS });
    const deps = fakeDeps(okta, {}, JSON.stringify({ apiKey: 'wrong-key-abcdef' }));
    const res = await handleConnectorRequest(req, deps);
    expect(res.isSuccess).toBe(false);
    expect(res.errorDetails).toEqual({
      errorCode: 'InvalidCredentials',
      errorMessage: expect.stringContaining('401'),
      retryAfterSeconds: null,
    });
    expect(JSON.stringify(res)).not.toContain('wrong-key-abcdef');
  });

  it('answers InvalidCredentials when the secret lacks apiKey / accessToken', async () => {
    const okta = fakeOkta({ '/api/v1/users': USERS });
    for (const authenticationType of ['ApiKey', 'OAuth2']) {
      const deps = fakeDeps(okta, {}, JSON.stringify({ somethingElse: 'x' }));
      const res = await handleConnectorRequest(
        { ...req, credentials: { ...req.credentials, authenticationType } },
        deps,
      );
      expect(res.errorDetails).toMatchObject({ errorCode: 'InvalidCredentials' });
      expect(String((res.errorDetails as { errorMessage: string }).errorMessage)).toMatch(
        authenticationType === 'ApiKey' ? /"apiKey"/ : /"accessToken"/,
      );
    }
  });

  it('sends OAuth2 access tokens as Bearer', async () => {
    const okta = fakeOkta({ '/api/v1/users': USERS });
    const seen: string[] = [];
    const deps = fakeDeps(
      {
        ...okta,
        fetch: async (_input, init) => {
          seen.push(new Headers(init?.headers).get('authorization') ?? '');
          return new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
        },
      },
      {},
      JSON.stringify({ accessToken: 'at-123', refreshToken: 'rt-456' }),
    );
    const res = await handleConnectorRequest(
      { ...req, credentials: { ...req.credentials, authenticationType: 'OAuth2' } },
      deps,
    );
    expect(res).toEqual({ isSuccess: true, errorDetails: null });
    expect(seen).toEqual(['Bearer at-123']);
  });
});

describe('ListEntitiesRequest', () => {
  it('lists every catalog object (relations included) with cache control', async () => {
    const { deps } = setup();
    const res = await handleConnectorRequest(
      {
        type: 'ListEntitiesRequest',
        connectorContext: context(),
        entitiesPath: null,
        nextToken: null,
        maxResult: 1000,
      },
      deps,
    );
    expect(keys(res)).toEqual(['cacheControl', 'entities', 'errorDetails', 'isSuccess', 'nextToken']);
    expect(res.isSuccess).toBe(true);
    expect(res.nextToken).toBeNull();
    expect(res.cacheControl).toEqual({ timeToLive: 3600, timeToLiveUnit: 'SECONDS' });
    const entities = res.entities as Record<string, unknown>[];
    expect(entities.map((e) => e.entityIdentifier)).toEqual([
      'Application',
      'Device',
      'Group',
      'LogEvent',
      'User',
      'UserType',
      'GroupMember',
      'ApplicationUser',
      'ApplicationGroup',
      'DeviceUser',
      'UserRole',
      'UserFactor',
    ]);
    for (const e of entities) {
      expect(keys(e)).toEqual(
        ['customProperties', 'description', 'entityIdentifier', 'hasNestedEntities', 'isWritable', 'label'].sort(),
      );
      expect(e.hasNestedEntities).toBe(false);
      // WriteData covers User (INSERT/UPDATE) and GroupMember (INSERT/DELETE) only.
      expect(e.isWritable).toBe(e.entityIdentifier === 'User' || e.entityIdentifier === 'GroupMember');
      expect(e.customProperties).toBeNull();
    }
  });

  it('has nothing below an entity', async () => {
    const res = await handleConnectorRequest(
      { type: 'ListEntitiesRequest', connectorContext: context(), entitiesPath: 'User', maxResult: 1000 },
      setup().deps,
    );
    expect(res.entities).toEqual([]);
  });
});

describe('DescribeEntityRequest', () => {
  it('describes User fields, custom attributes included', async () => {
    const { deps } = setup();
    const res = await handleConnectorRequest(
      { type: 'DescribeEntityRequest', entityIdentifier: 'User', connectorContext: context() },
      deps,
    );
    expect(keys(res)).toEqual(['cacheControl', 'entityDefinition', 'errorDetails', 'isSuccess']);
    expect(res.cacheControl).toEqual({ timeToLive: 3600, timeToLiveUnit: 'SECONDS' });
    const definition = res.entityDefinition as {
      entity: { entityIdentifier: string };
      fields: Record<string, unknown>[];
      customProperties: unknown;
    };
    expect(definition.entity.entityIdentifier).toBe('User');
    expect(definition.customProperties).toBeNull();
    const byName = new Map(definition.fields.map((f) => [f.fieldName, f]));
    for (const f of definition.fields) {
      expect(keys(f)).toEqual(
        [
          'fieldName',
          'dataType',
          'dataTypeLabel',
          'label',
          'description',
          'defaultValue',
          'isPrimaryKey',
          'isDeprecated',
          'constraints',
          'readProperties',
          'writeProperties',
          'filterOperators',
          'customProperties',
        ].sort(),
      );
      // Only User's id and profile are destination fields (WriteData UPDATE / INSERT).
      if (['id', 'profile'].includes(String(f.fieldName))) {
        expect(f.writeProperties).toMatchObject({ isCreatable: f.fieldName === 'profile', isUpsertable: false });
      } else expect(f.writeProperties).toBeNull();
      expect(f.constraints).toBeNull();
      expect(f.defaultValue).toBeNull();
      expect(f.filterOperators as string[]).not.toContain('IN');
      expect(f.isPrimaryKey).toBe(f.fieldName === 'id');
    }
    expect(byName.get('id')).toMatchObject({ dataType: 'String', label: 'ID', isPrimaryKey: true });
    expect(byName.get('last_updated')).toMatchObject({
      dataType: 'DateTime',
      label: 'Last Updated',
      readProperties: {
        isRetrievable: true,
        isNullable: true,
        isQueryable: true,
        isTimestampFieldForIncrementalQueries: true,
      },
      filterOperators: [
        'EQUAL_TO',
        'NOT_EQUAL_TO',
        'GREATER_THAN',
        'GREATER_THAN_OR_EQUAL_TO',
        'LESS_THAN',
        'LESS_THAN_OR_EQUAL_TO',
        'BETWEEN',
      ],
    });
    expect(byName.get('created')).toMatchObject({ readProperties: { isTimestampFieldForIncrementalQueries: false } });
    expect(byName.get('status')).toMatchObject({ filterOperators: ['EQUAL_TO', 'NOT_EQUAL_TO', 'CONTAINS'] });
    expect(byName.get('profile')).toMatchObject({ dataType: 'Struct', filterOperators: [] });
    expect(byName.get('profile_cost_code')).toMatchObject({
      dataType: 'String',
      label: 'Cost code',
      customProperties: { custom: 'true', oktaPath: 'profile.costCode' },
    });
    // Secrets-bearing fields are never offered.
    expect(byName.has('credentials')).toBe(false);
    expect(byName.has('credentials_password')).toBe(false);
    expect(
      definition.fields.filter(
        (f) => (f.readProperties as Record<string, boolean>).isTimestampFieldForIncrementalQueries,
      ),
    ).toHaveLength(1);
  });

  it('describes LogEvent: uuid the key, published the one incremental field, structs as Struct', async () => {
    const res = await handleConnectorRequest(
      { type: 'DescribeEntityRequest', entityIdentifier: 'LogEvent', connectorContext: context() },
      setup().deps,
    );
    const fields = (res.entityDefinition as { fields: Record<string, unknown>[] }).fields;
    const byName = new Map(fields.map((f) => [f.fieldName, f]));
    expect(fields.filter((f) => f.isPrimaryKey).map((f) => f.fieldName)).toEqual(['uuid']);
    expect(
      fields
        .filter((f) => (f.readProperties as Record<string, boolean>).isTimestampFieldForIncrementalQueries)
        .map((f) => f.fieldName),
    ).toEqual(['published']);
    expect(byName.get('actor')).toMatchObject({ dataType: 'Struct' });
    expect(byName.get('target')).toMatchObject({ dataType: 'List' });
    expect(byName.get('event_type')).toMatchObject({ filterOperators: ['EQUAL_TO', 'NOT_EQUAL_TO', 'CONTAINS'] });
  });

  it('answers InvalidArgument for an unknown entity', async () => {
    const res = await handleConnectorRequest(
      { type: 'DescribeEntityRequest', entityIdentifier: 'Widget', connectorContext: context() },
      setup().deps,
    );
    expect(res).toEqual({
      isSuccess: false,
      errorDetails: {
        errorCode: 'InvalidArgument',
        errorMessage: expect.stringContaining('Widget'),
        retryAfterSeconds: null,
      },
      entityDefinition: null,
      cacheControl: null,
    });
  });
});

describe('QueryDataRequest', () => {
  it('returns projected records as JSON strings, logging the flow keys', async () => {
    const lines: LogLine[] = [];
    const okta = fakeOkta({ '/api/v1/users': USERS }, SCHEMA);
    const deps = fakeDeps(okta, { logger: memoryLogger(lines) });
    const res = await handleConnectorRequest(
      {
        type: 'QueryDataRequest',
        entityIdentifier: 'User',
        connectorContext: context(),
        selectedFieldNames: ['id', 'status', 'last_updated', 'type', 'username'],
        filterExpression: 'status = "STAGED"',
        nextToken: null,
        maxResults: 1000,
      },
      deps,
    );
    expect(keys(res)).toEqual(['errorDetails', 'isSuccess', 'nextToken', 'records']);
    expect(res.isSuccess).toBe(true);
    expect(res.nextToken).toBeNull();
    const records = (res.records as string[]).map((r) => JSON.parse(r) as Record<string, unknown>);
    expect(records).toEqual(
      USERS.filter((u) => u.status === 'STAGED').map((u) => ({
        id: u.id,
        status: 'STAGED',
        last_updated: u.lastUpdated,
        type: { id: 'oty000000default' },
        username: (u.profile as { login: string }).login,
      })),
    );
    expect(lines.find((l) => l.message === 'AppFlow request served')?.keys).toMatchObject({
      flowName: 'okta-users',
      executionId: 'exec-0001',
      connectorProfileLabel: 'okta-conn',
      requestType: 'QueryDataRequest',
    });
    expect(JSON.stringify(lines)).not.toContain(API_KEY);
  });

  it('ignores keys it does not know (entityDefinition echoed back, flow custom properties, future fields)', async () => {
    const { deps } = setup();
    const describe = await handleConnectorRequest(
      { type: 'DescribeEntityRequest', entityIdentifier: 'User', connectorContext: context() },
      deps,
    );
    const res = await handleConnectorRequest(
      {
        type: 'QueryDataRequest',
        entityIdentifier: 'User',
        connectorContext: {
          ...context(),
          connectorRuntimeSettings: { oktaDomain: 'acme.okta.com', someFlowProperty: 'x' },
          entityDefinition: describe.entityDefinition,
          somethingNew: { nested: true },
        },
        selectedFieldNames: ['id'],
        filterExpression: null,
        nextToken: null,
        maxResults: 1000,
        dataTransferApi: null,
      },
      deps,
    );
    expect(res.isSuccess).toBe(true);
    expect((res.records as string[]).map((r) => JSON.parse(r))).toEqual(USERS.map((u) => ({ id: u.id })));
  });

  it('fails with InvalidArgument and null keys on a bad filter', async () => {
    const res = await handleConnectorRequest(
      {
        type: 'QueryDataRequest',
        entityIdentifier: 'User',
        connectorContext: context(),
        selectedFieldNames: null,
        filterExpression: 'status = "ACTIVE" LIMIT 5',
        maxResults: 1000,
      },
      setup().deps,
    );
    expect(res).toEqual({
      isSuccess: false,
      errorDetails: { errorCode: 'InvalidArgument', errorMessage: expect.any(String), retryAfterSeconds: null },
      nextToken: null,
      records: null,
    });
  });
});

describe('RetrieveDataRequest', () => {
  it('returns the records of known ids and leaves unknown ids out', async () => {
    const { deps, okta } = setup();
    const res = await handleConnectorRequest(
      {
        type: 'RetrieveDataRequest',
        entityIdentifier: 'User',
        connectorContext: context(),
        selectedFieldNames: ['id', 'email'],
        idFieldName: 'id',
        ids: ['00u000001', '00u999999', '00u000003'],
      },
      deps,
    );
    expect(keys(res)).toEqual(['errorDetails', 'isSuccess', 'records']);
    expect((res.records as string[]).map((r) => JSON.parse(r))).toEqual([
      { id: '00u000001', email: 'user1@example.com' },
      { id: '00u000003', email: 'user3@example.com' },
    ]);
    expect(okta.requests.filter((r) => r.startsWith('/api/v1/users/')).sort()).toEqual([
      '/api/v1/users/00u000001',
      '/api/v1/users/00u000003',
      '/api/v1/users/00u999999',
    ]);
  });
});

describe('WriteDataRequest', () => {
  it('answers a clear InvalidArgument for an entity or operation it does not write, asking Okta nothing', async () => {
    const { deps, okta } = setup();
    for (const [entityIdentifier, operation] of [
      ['Group', 'INSERT'],
      ['User', 'DELETE'],
      ['GroupMember', 'UPDATE'],
    ]) {
      const res = await handleConnectorRequest(
        {
          type: 'WriteDataRequest',
          entityIdentifier,
          connectorContext: context(),
          operation,
          idFieldNames: ['id'],
          records: ['{"id":"00u1"}'],
          allOrNone: false,
        },
        deps,
      );
      expect(res).toEqual({
        isSuccess: false,
        errorDetails: {
          errorCode: 'InvalidArgument',
          errorMessage: expect.stringContaining(
            'WriteData supports User (INSERT, UPDATE) and GroupMember (INSERT, DELETE)',
          ),
          retryAfterSeconds: null,
        },
        writeRecordResults: null,
      });
    }
    expect(okta.requests).toEqual([]);
  });
});

describe('malformed and unknown requests', () => {
  it.each([[{ type: 'DeleteEverythingRequest' }], [{}], [null], ['QueryDataRequest']])(
    '%j gets an error response, not a throw',
    async (event) => {
      const res = await handleConnectorRequest(event, setup().deps);
      expect(res).toEqual({
        isSuccess: false,
        errorDetails: {
          errorCode: 'InvalidArgument',
          errorMessage: expect.stringContaining('Unknown request type'),
          retryAfterSeconds: null,
        },
      });
    },
  );

  it('a QueryDataRequest without connectorContext is InvalidArgument', async () => {
    const res = await handleConnectorRequest({ type: 'QueryDataRequest', entityIdentifier: 'User' }, setup().deps);
    expect(res.errorDetails).toMatchObject({
      errorCode: 'InvalidArgument',
      errorMessage: expect.stringContaining('connectorContext'),
    });
    expect(res.records).toBeNull();
  });
});
