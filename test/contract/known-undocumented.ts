/**
 * Properties the sandbox serves that Okta's spec does not declare at that place, each because real Okta sends it
 * too. The contract suite fails on any undocumented property not listed here, so an invented or misspelt field in
 * the sandbox is caught even where the spec leaves objects open. Paths are relative to one record (a list's
 * `/*` prefix removed); `*` matches one path segment.
 */
export interface KnownUndocumented {
  readonly operations: readonly string[];
  readonly path: string;
  readonly reason: string;
}

export const KNOWN_UNDOCUMENTED: readonly KnownUndocumented[] = [
  {
    operations: ['GET /api/v1/apps', 'GET /api/v1/apps/{appId}'],
    path: '/settings/app',
    reason:
      'Okta returns app-specific settings (`settings.app`, often `{}`) for every app; the spec declares it only ' +
      'on some subtypes (AutoLogin and SAML settings lack it).',
  },
  ...['/name', '/credentials', '/settings'].map((path) => ({
    operations: ['GET /api/v1/apps', 'GET /api/v1/apps/{appId}'],
    path,
    reason:
      'Every app has name, credentials and settings; the spec declares them on the sign-on-mode subtypes only, so ' +
      'an app whose signOnMode the spec does not know (validated against the base Application) shows them here.',
  })),
  {
    operations: ['GET /api/v1/groups', 'GET /api/v1/groups/{groupId}', 'GET /api/v1/users/{id}/groups'],
    path: '/source',
    reason:
      'APP_GROUP groups carry `source: {id}` naming the app they come from (Okta Groups API; `source.id` is a ' +
      'documented search attribute); the Group schema has only `_links.source`.',
  },
  {
    operations: ['GET /api/v1/groups', 'GET /api/v1/groups/{groupId}', 'GET /api/v1/users/{id}/groups'],
    path: '/_embedded/stats/hasAdminPrivilege',
    reason:
      'The spec spells this stat `hasAdminPrivlege` (sic); which spelling Okta sends is unverified (SDKs generated ' +
      'from the spec use the misspelling, hand-written clients the correct one). See contract-findings.',
  },
  {
    operations: ['GET /api/v1/users/{userId}/factors'],
    path: '/profile/*',
    reason:
      'Each factor profile is declared on its factorType subtype (UserFactorPushProfile, UserFactorSMSProfile, ' +
      '…), which the closed-object check cannot see through the base UserFactor.profile it extends; `signed_nonce` ' +
      '(Okta FastPass, as real orgs list it) has no subtype at all and carries the push-style profile.',
  },
  {
    operations: ['GET /api/v1/meta/schemas/user/{schemaId}'],
    path: '/description',
    reason: 'The user schema carries the user type description, as in Okta responses; UserSchema omits it.',
  },
  {
    operations: ['GET /api/v1/meta/schemas/user/{schemaId}'],
    path: '/definitions/custom/properties/*/items',
    reason: 'Array attributes describe their element type in `items` (Okta docs: array custom attributes).',
  },
  {
    operations: ['GET /api/v1/meta/schemas/user/{schemaId}'],
    path: '/definitions/custom/properties/*/union',
    reason: 'Array attributes carry `union` (DISABLE/ENABLE) in Okta responses; UserSchemaAttribute omits it.',
  },
  {
    operations: ['GET /.well-known/openid-configuration'],
    path: '/token_endpoint_auth_signing_alg_values_supported',
    reason: 'Standard discovery metadata (RFC 8414 §2) that Okta publishes; OidcMetadata omits it.',
  },
  {
    operations: ['GET /oauth2/v1/keys'],
    path: '/keys/*/n',
    reason: "RSA key members (RFC 7518 §6.3); the spec's RSA key schema is unusable (see spec-corrections.ts).",
  },
  {
    operations: ['GET /oauth2/v1/keys'],
    path: '/keys/*/e',
    reason: "RSA key members (RFC 7518 §6.3); the spec's RSA key schema is unusable (see spec-corrections.ts).",
  },
];

/** The undocumented paths of `operation` that no entry explains. */
export function unexplainedUndocumented(operation: string, paths: Iterable<string>): string[] {
  const isList = (path: string) => path.startsWith('/*/');
  return [...paths].filter((path) => {
    const relative = isList(path) ? path.slice(2) : path;
    return !KNOWN_UNDOCUMENTED.some((k) => k.operations.includes(operation) && matches(k.path, relative));
  });
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  return want.length === have.length && want.every((segment, i) => segment === '*' || segment === have[i]);
}
