/** One operation okta-flow calls (or the sandbox serves), located in one of Okta's specs. */
export interface WantedOperation {
  readonly spec: 'management' | 'oauth';
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Path template; parameter names may differ from the spec's (`{id}` matches `{userId}`). */
  readonly path: string;
}

const management = (path: string): WantedOperation => ({ spec: 'management', method: 'get', path });
const write = (method: 'post' | 'put' | 'delete', path: string): WantedOperation => ({
  spec: 'management',
  method,
  path,
});

const USER_LIFECYCLE = [
  'activate',
  'reactivate',
  'deactivate',
  'suspend',
  'unsuspend',
  'unlock',
  'expire_password',
  'reset_password',
  'reset_factors',
];

/**
 * The subset of Okta's API the project uses: the read endpoints of the extracted objects (relations, roles and
 * factors included), the write endpoints `okta-flow apply` calls, and the org OAuth server.
 */
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
  management('/api/v1/users/{userId}/roles'),
  management('/api/v1/users/{userId}/factors'),
  management('/api/v1/groups/{groupId}/roles'),
  management('/api/v1/iam/assignees/users'),
  management('/api/v1/apps/{appId}/users/{userId}'),
  management('/api/v1/apps/{appId}/groups/{groupId}'),
  write('post', '/api/v1/users'),
  write('post', '/api/v1/users/{id}'),
  write('put', '/api/v1/users/{id}'),
  write('delete', '/api/v1/users/{id}'),
  ...USER_LIFECYCLE.map((action) => write('post', `/api/v1/users/{id}/lifecycle/${action}`)),
  write('delete', '/api/v1/users/{userId}/sessions'),
  write('post', '/api/v1/groups'),
  write('put', '/api/v1/groups/{groupId}'),
  write('delete', '/api/v1/groups/{groupId}'),
  write('put', '/api/v1/groups/{groupId}/users/{userId}'),
  write('delete', '/api/v1/groups/{groupId}/users/{userId}'),
  write('post', '/api/v1/apps/{appId}/users'),
  write('delete', '/api/v1/apps/{appId}/users/{userId}'),
  write('put', '/api/v1/apps/{appId}/groups/{groupId}'),
  write('delete', '/api/v1/apps/{appId}/groups/{groupId}'),
  write('post', '/api/v1/apps/{appId}/lifecycle/activate'),
  write('post', '/api/v1/apps/{appId}/lifecycle/deactivate'),
  { spec: 'oauth', method: 'get', path: '/.well-known/openid-configuration' },
  { spec: 'oauth', method: 'get', path: '/oauth2/v1/authorize' },
  { spec: 'oauth', method: 'post', path: '/oauth2/v1/token' },
  { spec: 'oauth', method: 'get', path: '/oauth2/v1/keys' },
];
