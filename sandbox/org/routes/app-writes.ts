import type { RouteRequest, RouteResult } from '../contract.js';
import { errorResult, errors, oktaError } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { booleanParam, empty, isRecord, item, write } from './write-helpers.js';

/** `POST /api/v1/apps/{id}/users` `{id, scope?, credentials?, profile?}`: a direct assignment (200 AppUser). */
export function assignUserRoute(state: OrgState, appId: string, request?: RouteRequest): RouteResult {
  const body = request?.body;
  if (!isRecord(body) || typeof body.id !== 'string' || body.id === '') {
    return errorResult(
      oktaError(400, 'E0000001', 'Api validation failed: request', ['id: The field cannot be left blank']),
    );
  }
  if (body.scope !== undefined && body.scope !== 'USER') {
    return errorResult(
      errors.validation('scope: only USER can be assigned directly; GROUP comes from group assignments'),
    );
  }
  const credentials = isRecord(body.credentials) ? body.credentials : {};
  const userId = body.id;
  return write(state, request, (admin) =>
    item(
      admin.assignUserToApp(appId, userId, {
        ...(typeof credentials.userName === 'string' ? { userName: credentials.userName } : {}),
        ...(isRecord(body.profile) ? { profile: body.profile } : {}),
      }),
    ),
  );
}

/** `DELETE /api/v1/apps/{id}/users/{userId}`: 204; a user who reaches the app only through a group: 403 E0000090. */
export function unassignUserRoute(
  state: OrgState,
  appId: string,
  userId: string,
  params: URLSearchParams,
  request?: RouteRequest,
): RouteResult {
  const sendEmail = booleanParam(params, 'sendEmail', false);
  if (!sendEmail.ok) return sendEmail.error;
  return write(state, request, (admin) => {
    admin.unassignUserFromApp(appId, userId);
    return empty(204);
  });
}

/** `PUT /api/v1/apps/{id}/groups/{groupId}` `{priority?, profile?}`: 200 ApplicationGroupAssignment. */
export function assignGroupRoute(state: OrgState, appId: string, groupId: string, request?: RouteRequest): RouteResult {
  const body = isRecord(request?.body) ? request.body : {};
  if (body.priority !== undefined && typeof body.priority !== 'number') {
    return errorResult(errors.validation('priority: must be an integer'));
  }
  return write(state, request, (admin) =>
    item(
      admin.assignGroupToApp(appId, groupId, {
        ...(typeof body.priority === 'number' ? { priority: body.priority } : {}),
        ...(isRecord(body.profile) ? { profile: body.profile } : {}),
      }),
    ),
  );
}

/** `DELETE /api/v1/apps/{id}/groups/{groupId}`: 204. */
export function unassignGroupRoute(
  state: OrgState,
  appId: string,
  groupId: string,
  request?: RouteRequest,
): RouteResult {
  return write(state, request, (admin) => {
    admin.unassignGroupFromApp(appId, groupId);
    return empty(204);
  });
}

/** `POST /api/v1/apps/{id}/lifecycle/{activate|deactivate}`: 200 with no body, also when already so. */
export function appLifecycleRoute(
  state: OrgState,
  appId: string,
  action: 'activate' | 'deactivate',
  request?: RouteRequest,
): RouteResult {
  return write(state, request, (admin) => {
    admin.appLifecycle(appId, action);
    return empty(200);
  });
}

/** `GET /api/v1/apps/{id}/users/{userId}`: one AppUser (404 unless the user reaches the app). */
export function getAppUser(state: OrgState, appId: string, userId: string, params: URLSearchParams): RouteResult {
  const { apps, users, assignments } = state;
  const a = apps.resolve(appId);
  const u = users.resolve(userId);
  if (a === undefined) return errorResult(errors.notFound(appId));
  if (u === undefined || !assignments.isAssignedUser(a, u)) return errorResult(errors.notFound(`${userId} (AppUser)`));
  const record = assignments.appUser(a, { u, direct: assignments.isDirect(a, u) });
  if ((params.get('expand') ?? '').split(',').includes('user')) record._embedded = { user: users.serialize(u) };
  return item(record);
}

/** `GET /api/v1/apps/{id}/groups/{groupId}`: one group assignment (404 unless assigned). */
export function getAppGroup(state: OrgState, appId: string, groupId: string, params: URLSearchParams): RouteResult {
  const { apps, groups, assignments } = state;
  const a = apps.resolve(appId);
  const g = groups.resolve(groupId);
  if (a === undefined) return errorResult(errors.notFound(appId));
  if (g === undefined || !assignments.isAssignedGroup(a, g)) {
    return errorResult(errors.notFound(`${groupId} (ApplicationGroupAssignment)`));
  }
  const record = assignments.appGroup(a, g);
  if ((params.get('expand') ?? '').split(',').includes('group')) record._embedded = { group: groups.serialize(g) };
  return item(record);
}
