/**
 * Where Okta's published spec is known wrong or incomplete, the contract validator adjusts it here, each change
 * with its reason. Everything else in the fixture is enforced as Okta wrote it.
 *
 * - `relaxation`: the spec rejects something real Okta sends.
 * - `correction`: the spec is self-contradictory or too vague to validate; replaced by what Okta documents.
 */
type JsonObject = Record<string, unknown>;

export interface SpecCorrection {
  readonly kind: 'relaxation' | 'correction';
  readonly spec: 'management' | 'oauth';
  /** What is changed, as a JSON-pointer-like path into the fixture document. */
  readonly target: string;
  readonly reason: string;
  apply(doc: JsonObject): void;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function at(doc: JsonObject, path: readonly string[]): JsonObject {
  let node: unknown = doc;
  for (const key of path) {
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  if (!isObject(node))
    throw new Error(`spec correction target /${path.join('/')} is missing: was the fixture regenerated?`);
  return node;
}

function queryParameter(doc: JsonObject, path: string, name: string): JsonObject {
  const operation = at(doc, ['paths', path, 'get']);
  const found = (Array.isArray(operation.parameters) ? operation.parameters : []).find(
    (p): p is JsonObject => isObject(p) && p.name === name && p.in === 'query',
  );
  if (found === undefined) throw new Error(`spec correction target: GET ${path} has no inline query parameter ${name}`);
  return found;
}

export const SPEC_CORRECTIONS: readonly SpecCorrection[] = [
  {
    kind: 'relaxation',
    spec: 'management',
    target: '/components/schemas/ApplicationSignOnMode',
    reason:
      'Okta adds sign-on modes over time and tells clients to expect modes the spec does not list. Modes the ' +
      'spec maps still dispatch to their subtype schema (SamlApplication, …); any other must at least look like ' +
      'an Okta enum constant and then validates against the base Application schema.',
    apply(doc) {
      const mode = at(doc, ['components', 'schemas', 'ApplicationSignOnMode']);
      delete mode.enum;
      mode.pattern = '^[A-Z][A-Z0-9_]*$';
    },
  },
  {
    kind: 'relaxation',
    spec: 'management',
    target: '/components/schemas/DeviceStatus',
    reason:
      "Okta's Devices API docs and real orgs show CREATED (registered, not yet active); the spec's enum omits it.",
    apply(doc) {
      const status = at(doc, ['components', 'schemas', 'DeviceStatus']);
      const values = Array.isArray(status.enum) ? status.enum : [];
      if (!values.includes('CREATED')) status.enum = [...values, 'CREATED'];
    },
  },
  {
    kind: 'relaxation',
    spec: 'oauth',
    target: '/components/schemas/JsonWebKey/discriminator',
    reason:
      'The mapping is keyed by `use` values (sig, enc) although the discriminator is `kty` (RSA, EC), so it can ' +
      'never select a subtype; and the subtypes are mutually recursive (JsonWebKeyRsa → allOf JsonSigningWebKey → ' +
      'oneOf [JsonWebKeyEC, JsonWebKeyRsa]). Keys are validated against the JsonWebKey base properties only.',
    apply(doc) {
      delete at(doc, ['components', 'schemas', 'JsonWebKey']).discriminator;
    },
  },
  {
    kind: 'relaxation',
    spec: 'management',
    target: '/components/schemas/HttpMethod',
    reason:
      "Link hints list the verbs a resource allows, and Okta's own device examples in this spec (listDevices, " +
      'getDevice) show `hints.allow: [GET, PATCH, PUT]`; the HttpMethod enum omits PATCH.',
    apply(doc) {
      const method = at(doc, ['components', 'schemas', 'HttpMethod']);
      const values = Array.isArray(method.enum) ? method.enum : [];
      if (!values.includes('PATCH')) method.enum = [...values, 'PATCH'];
    },
  },
  {
    kind: 'correction',
    spec: 'management',
    target: '/components/schemas/Application/properties/_embedded/properties/user',
    reason:
      'With `expand=user/{userId}` Okta embeds that application user (an AppUser object: id, scope, status, ' +
      'credentials, …) as `_embedded.user`; the spec types it as a map whose every value is an object, which ' +
      'rejects the real AppUser (its `id` is a string). Validated as AppUser instead.',
    apply(doc) {
      const embedded = at(doc, ['components', 'schemas', 'Application', 'properties', '_embedded', 'properties']);
      embedded.user = { $ref: '#/components/schemas/AppUser' };
    },
  },
  {
    kind: 'correction',
    spec: 'management',
    target: '/paths/~1api~1v1~1logs/get/parameters/limit',
    reason:
      'The spec states the range in prose (`format: "Integer between 0 and 1000"`); the System Log docs say ' +
      'limit ≤ 1000. Enforced as minimum 0, maximum 1000.',
    apply(doc) {
      const schema = queryParameter(doc, '/api/v1/logs', 'limit').schema;
      if (!isObject(schema)) throw new Error('GET /api/v1/logs limit has no schema');
      delete schema.format;
      schema.minimum = 0;
      schema.maximum = 1000;
    },
  },
];

/**
 * Response rules the spec leaves out (README of the specs: "few 400/401 responses declared"). Okta answers every
 * Management API error with its Error body, so an undeclared 4xx/5xx there validates against `Error`; the OAuth
 * server's JSON errors use `OAuthError` on /token and `Error` elsewhere. Redirects carry no body to validate.
 */
export const UNDECLARED_RESPONSE_RULES = {
  managementErrorSchema: '#/components/schemas/Error',
  oauthErrorSchema: (path: string): string =>
    path === '/oauth2/v1/token' ? '#/components/schemas/OAuthError' : '#/components/schemas/Error',
  redirectStatuses: [301, 302, 303, 307, 308],
} as const;
