/**
 * Okta rate-limit buckets and the OAuth scope each API area needs. Okta matches buckets by method + longest path
 * prefix; we mirror the published families so one governor paces each (the real limits come from the headers).
 */

/** Path prefixes that get their own bucket, longest first wins. */
const BUCKET_PREFIXES = [
  '/api/v1/users',
  '/api/v1/groups',
  '/api/v1/apps',
  '/api/v1/devices',
  '/api/v1/logs',
  '/api/v1/meta',
  '/oauth2/v1/token',
  '/api/v1',
] as const;

function matchesPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`) || pathname.startsWith(`${prefix}?`);
}

/**
 * `GET /api/v1/users` style bucket key for a request. Unknown paths share the catch-all `/api/v1` bucket. Writes
 * (POST/PUT/DELETE) under a management family share one `WRITE <family>` key: Okta counts a family's writes
 * together, so pacing them as one bucket keeps the share a ceiling whatever mix of methods a plan makes.
 */
export function bucketFor(method: string, pathname: string): string {
  const sorted = [...BUCKET_PREFIXES].sort((a, b) => b.length - a.length);
  const prefix = sorted.find((p) => matchesPrefix(pathname, p)) ?? '/api/v1';
  const m = method.toUpperCase();
  const write = m !== 'GET' && m !== 'HEAD' && WRITE_FAMILIES.includes(prefix);
  return `${write ? 'WRITE' : m} ${prefix}`;
}

const WRITE_FAMILIES: readonly string[] = ['/api/v1/users', '/api/v1/groups', '/api/v1/apps', '/api/v1/devices'];

/** OAuth scope Okta requires for a read (GET) on this path, longest prefix first. */
const SCOPE_PREFIXES: readonly (readonly [string, string])[] = [
  ['/api/v1/meta/types/user', 'okta.userTypes.read'],
  ['/api/v1/meta/schemas', 'okta.schemas.read'],
  ['/api/v1/users', 'okta.users.read'],
  ['/api/v1/groups', 'okta.groups.read'],
  ['/api/v1/apps', 'okta.apps.read'],
  ['/api/v1/devices', 'okta.devices.read'],
  ['/api/v1/logs', 'okta.logs.read'],
  // Role assignees (UserRole's parents); a user's own roles (/api/v1/users/{id}/roles) need okta.roles.read too.
  ['/api/v1/iam', 'okta.roles.read'],
];

/** The read scope a GET on `pathname` needs, or undefined when we do not know it. */
export function scopeForPath(pathname: string): string | undefined {
  return SCOPE_PREFIXES.find(([prefix]) => matchesPrefix(pathname, prefix))?.[1];
}

/** OAuth scope Okta requires for a write (POST/PUT/DELETE) on this path: the area's `.manage` scope. */
const MANAGE_SCOPE_PREFIXES: readonly (readonly [string, string])[] = [
  ['/api/v1/users', 'okta.users.manage'],
  ['/api/v1/groups', 'okta.groups.manage'],
  ['/api/v1/apps', 'okta.apps.manage'],
  ['/api/v1/devices', 'okta.devices.manage'],
];

/** The scope a request needs: the read scope for GET, the manage scope for writes; undefined when unknown. */
export function scopeForRequest(method: string, pathname: string): string | undefined {
  if (method.toUpperCase() === 'GET') return scopeForPath(pathname);
  return MANAGE_SCOPE_PREFIXES.find(([prefix]) => matchesPrefix(pathname, prefix))?.[1];
}
