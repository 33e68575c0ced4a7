/** One operation okta-flow calls (or the sandbox serves), located in one of Okta's specs. */
export interface WantedOperation {
  readonly spec: 'management' | 'oauth';
  readonly method: 'get' | 'post';
  /** Path template; parameter names may differ from the spec's (`{id}` matches `{userId}`). */
  readonly path: string;
}

const management = (path: string): WantedOperation => ({ spec: 'management', method: 'get', path });

/** The subset of Okta's API the project uses: the read endpoints of the extracted objects and the org OAuth server. */
export const WANTED_OPERATIONS: readonly WantedOperation[] = [
  management('/api/v1/users'),
  management('/api/v1/users/{id}'),
  management('/api/v1/users/{id}/groups'),
  management('/api/v1/groups'),
  management('/api/v1/groups/{groupId}'),
  management('/api/v1/groups/{groupId}/users'),
  management('/api/v1/apps'),
  management('/api/v1/apps/{appId}'),
  management('/api/v1/apps/{appId}/users'),
  management('/api/v1/apps/{appId}/groups'),
  management('/api/v1/devices'),
  management('/api/v1/devices/{deviceId}'),
  management('/api/v1/devices/{deviceId}/users'),
  management('/api/v1/meta/types/user'),
  management('/api/v1/meta/types/user/{typeId}'),
  management('/api/v1/meta/schemas/user/{schemaId}'),
  management('/api/v1/logs'),
  { spec: 'oauth', method: 'get', path: '/.well-known/openid-configuration' },
  { spec: 'oauth', method: 'get', path: '/oauth2/v1/authorize' },
  { spec: 'oauth', method: 'post', path: '/oauth2/v1/token' },
  { spec: 'oauth', method: 'get', path: '/oauth2/v1/keys' },
];
