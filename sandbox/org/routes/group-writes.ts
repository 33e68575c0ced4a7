import type { RouteRequest, RouteResult } from '../contract.js';
import { errorResult, oktaError } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { empty, isRecord, item, write } from './write-helpers.js';

function profileOf(body: unknown): Record<string, unknown> | RouteResult {
  if (!isRecord(body) || !isRecord(body.profile)) {
    return errorResult(
      oktaError(400, 'E0000001', 'Api validation failed: request', ['profile: The field cannot be left blank']),
    );
  }
  return body.profile;
}

const isResult = (value: unknown): value is RouteResult =>
  isRecord(value) && (value.kind === 'error' || value.kind === 'item' || value.kind === 'empty');

/** `POST /api/v1/groups`: a new OKTA_GROUP (200 Group). */
export function createGroupRoute(state: OrgState, request?: RouteRequest): RouteResult {
  const profile = profileOf(request?.body);
  if (isResult(profile)) return profile;
  return write(state, request, (admin) => item(admin.createGroup({ profile })));
}

/** `PUT /api/v1/groups/{id}`: replaces an OKTA_GROUP's profile (APP_GROUP and BUILT_IN: 403 E0000006). */
export function replaceGroupRoute(state: OrgState, id: string, request?: RouteRequest): RouteResult {
  const profile = profileOf(request?.body);
  if (isResult(profile)) return profile;
  return write(state, request, (admin) => item(admin.replaceGroup(id, profile)));
}

/** `DELETE /api/v1/groups/{id}`: 204 (OKTA_GROUP only). */
export function deleteGroupRoute(state: OrgState, id: string, request?: RouteRequest): RouteResult {
  return write(state, request, (admin) => {
    admin.deleteGroup(id);
    return empty(204);
  });
}

/** `PUT|DELETE /api/v1/groups/{groupId}/users/{userId}`: 204, also when nothing changes (OKTA_GROUP only). */
export function groupMemberRoute(
  state: OrgState,
  groupId: string,
  userId: string,
  member: boolean,
  request?: RouteRequest,
): RouteResult {
  return write(state, request, (admin) => {
    if (member) admin.addGroupMember(groupId, userId);
    else admin.removeGroupMember(groupId, userId);
    return empty(204);
  });
}
