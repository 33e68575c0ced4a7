import type { UserLifecycleAction } from '../admin.js';
import type { RouteRequest, RouteResult } from '../contract.js';
import { errorResult, oktaError } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { booleanParam, empty, isRecord, item, write } from './write-helpers.js';

const LIFECYCLE_ACTIONS: readonly UserLifecycleAction[] = [
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

function validationError(cause: string): RouteResult {
  return errorResult(oktaError(400, 'E0000001', 'Api validation failed: request', [cause]));
}

/** `POST /api/v1/users?activate&nextLogin&provider`: create (ACTIVE with a password, PROVISIONED without, STAGED). */
export function createUserRoute(state: OrgState, params: URLSearchParams, request?: RouteRequest): RouteResult {
  const body = request?.body;
  if (!isRecord(body) || !isRecord(body.profile)) return validationError('profile: The field cannot be left blank');
  const activate = booleanParam(params, 'activate', true);
  if (!activate.ok) return activate.error;
  const provider = booleanParam(params, 'provider', false);
  if (!provider.ok) return provider.error;
  const nextLogin = params.get('nextLogin');
  if (nextLogin !== null && nextLogin !== 'changePassword') {
    return validationError(`nextLogin: '${nextLogin}' is not changePassword`);
  }
  const credentials = isRecord(body.credentials) ? body.credentials : {};
  const password = isRecord(credentials.password) && typeof credentials.password.value === 'string';
  const typeId = isRecord(body.type) && typeof body.type.id === 'string' ? body.type.id : undefined;
  const groupIds = Array.isArray(body.groupIds) ? body.groupIds.filter((g): g is string => typeof g === 'string') : [];
  return write(state, request, (admin) =>
    item(
      admin.createUser({
        profile: body.profile as Record<string, unknown>,
        activate: activate.value,
        password: password || provider.value,
        groupIds,
        ...(typeId !== undefined ? { typeId } : {}),
        ...(nextLogin !== null ? { nextLogin } : {}),
      }),
    ),
  );
}

/** `POST /api/v1/users/{id}` (partial) or `PUT` (replace): profile changes; DEPROVISIONED users are read-only. */
export function updateUserRoute(state: OrgState, id: string, replace: boolean, request?: RouteRequest): RouteResult {
  const body = request?.body;
  if (!isRecord(body)) return validationError('The request body must be a user object');
  if (body.profile !== undefined && !isRecord(body.profile)) return validationError('profile: must be an object');
  const u = state.users.resolve(id === 'me' ? state.users.ids.idOf(0) : id);
  if (u !== undefined && state.users.status(u) === 'DEPROVISIONED') {
    return errorResult(
      oktaError(403, 'E0000038', "This operation is not allowed in the user's current status.", [
        'Profiles of DEPROVISIONED users cannot be updated (Edit Deactivated User Profile Updates is off)',
      ]),
    );
  }
  if (u !== undefined && isRecord(body.type) && body.type.id !== state.users.typeId(u) && !replace) {
    return validationError('type.id: the user type can only be changed with a full replacement (PUT)');
  }
  const profile = isRecord(body.profile) ? body.profile : {};
  return write(state, request, (admin) =>
    item(replace ? admin.replaceUser(id, profile) : admin.updateUser(id, profile)),
  );
}

/**
 * `POST /api/v1/users/{id}/lifecycle/{action}`, answered as Okta does: activate/reactivate an activation token (or
 * `{}` when Okta sends the email), expire_password the User, reset_password a reset link, the rest no body.
 */
export function userLifecycleRoute(
  state: OrgState,
  id: string,
  action: string,
  params: URLSearchParams,
  request?: RouteRequest,
): RouteResult {
  if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) {
    return errorResult(oktaError(404, 'E0000008', 'The requested path was not found'));
  }
  const lifecycle = action as UserLifecycleAction;
  const sendEmail = booleanParam(params, 'sendEmail', lifecycle === 'activate');
  if (!sendEmail.ok) return sendEmail.error;
  if (lifecycle === 'reset_password' && !params.has('sendEmail')) {
    return errorResult(
      oktaError(400, 'E0000028', 'The request is missing a required parameter.', ['sendEmail: is required']),
    );
  }
  return write(state, request, (admin) => {
    const user = admin.userLifecycle(id, lifecycle);
    const token = Buffer.from(`${String(user.id)}:${state.clock.now()}`)
      .toString('base64url')
      .slice(-20);
    switch (lifecycle) {
      case 'activate':
      case 'reactivate':
        return item(sendEmail.value ? {} : { activationUrl: `{{origin}}/welcome/${token}`, activationToken: token });
      case 'expire_password':
        return item(user);
      case 'reset_password':
        return item(sendEmail.value ? {} : { resetPasswordUrl: `{{origin}}/reset_password/${token}` });
      default:
        return empty(200);
    }
  });
}

/** `DELETE /api/v1/users/{id}`: deactivates a user that is not DEPROVISIONED, deletes one that is; 204 both ways. */
export function deleteUserRoute(
  state: OrgState,
  id: string,
  params: URLSearchParams,
  request?: RouteRequest,
): RouteResult {
  const sendEmail = booleanParam(params, 'sendEmail', false);
  if (!sendEmail.ok) return sendEmail.error;
  return write(state, request, (admin) => {
    admin.deleteUser(id);
    return empty(204);
  });
}

/** `DELETE /api/v1/users/{id}/sessions[?oauthTokens=true]`: 204. */
export function clearSessionsRoute(
  state: OrgState,
  id: string,
  params: URLSearchParams,
  request?: RouteRequest,
): RouteResult {
  const oauthTokens = booleanParam(params, 'oauthTokens', false);
  if (!oauthTokens.ok) return oauthTokens.error;
  return write(state, request, (admin) => {
    admin.clearSessions(id, oauthTokens.value);
    return empty(204);
  });
}
