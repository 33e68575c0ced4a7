/**
 * The write actions a plan may name, the fields each needs and the Okta call each makes. One table drives row
 * validation, resolution, the dry-run text and the README's action list.
 */

export const ACTION_NAMES = [
  'create-user',
  'update-user',
  'activate-user',
  'reactivate-user',
  'deactivate-user',
  'suspend-user',
  'unsuspend-user',
  'unlock-user',
  'delete-user',
  'expire-password',
  'reset-factors',
  'clear-user-sessions',
  'add-user-to-group',
  'remove-user-from-group',
  'create-group',
  'update-group',
  'delete-group',
  'assign-user-to-app',
  'remove-user-from-app',
  'assign-group-to-app',
  'remove-group-from-app',
  'activate-app',
  'deactivate-app',
] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

/** The reference columns of a plan row. */
export type TargetField = 'user' | 'group' | 'app';

export interface ActionDef {
  readonly name: ActionName;
  /** Reference columns the row must have. */
  readonly targets: readonly TargetField[];
  /** `required`: the row must carry a profile object; `optional`: it may; `none`: it must not. */
  readonly profile: 'required' | 'optional' | 'none';
  /** Okta's call, as documented (README and dry-run text). */
  readonly okta: string;
  /** Changes who can sign in: the credential's own user and super admins need `allowAdmin: true`. */
  readonly guarded: boolean;
}

const def = (
  name: ActionName,
  targets: readonly TargetField[],
  okta: string,
  options: { profile?: ActionDef['profile']; guarded?: boolean } = {},
): ActionDef => ({ name, targets, okta, profile: options.profile ?? 'none', guarded: options.guarded ?? false });

const DEFS: readonly ActionDef[] = [
  def('create-user', [], 'POST /api/v1/users?activate=true {profile}', { profile: 'required' }),
  def('update-user', ['user'], 'POST /api/v1/users/{userId} {profile} (partial update)', { profile: 'required' }),
  def('activate-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/activate?sendEmail=false'),
  def('reactivate-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/reactivate?sendEmail=false'),
  def('deactivate-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/deactivate', { guarded: true }),
  def('suspend-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/suspend', { guarded: true }),
  def('unsuspend-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/unsuspend'),
  def('unlock-user', ['user'], 'POST /api/v1/users/{userId}/lifecycle/unlock'),
  def('delete-user', ['user'], 'DELETE /api/v1/users/{userId} (user must be DEPROVISIONED)', { guarded: true }),
  def('expire-password', ['user'], 'POST /api/v1/users/{userId}/lifecycle/expire_password'),
  def('reset-factors', ['user'], 'POST /api/v1/users/{userId}/lifecycle/reset_factors'),
  def('clear-user-sessions', ['user'], 'DELETE /api/v1/users/{userId}/sessions'),
  def('add-user-to-group', ['user', 'group'], 'PUT /api/v1/groups/{groupId}/users/{userId}'),
  def('remove-user-from-group', ['user', 'group'], 'DELETE /api/v1/groups/{groupId}/users/{userId}'),
  def('create-group', [], 'POST /api/v1/groups {profile}', { profile: 'required' }),
  def('update-group', ['group'], 'PUT /api/v1/groups/{groupId} {profile} (current profile merged with the row’s)', {
    profile: 'required',
  }),
  def('delete-group', ['group'], 'DELETE /api/v1/groups/{groupId}'),
  def('assign-user-to-app', ['user', 'app'], 'POST /api/v1/apps/{appId}/users {id, scope: "USER", profile?}', {
    profile: 'optional',
  }),
  def('remove-user-from-app', ['user', 'app'], 'DELETE /api/v1/apps/{appId}/users/{userId}'),
  def('assign-group-to-app', ['group', 'app'], 'PUT /api/v1/apps/{appId}/groups/{groupId}'),
  def('remove-group-from-app', ['group', 'app'], 'DELETE /api/v1/apps/{appId}/groups/{groupId}'),
  def('activate-app', ['app'], 'POST /api/v1/apps/{appId}/lifecycle/activate'),
  def('deactivate-app', ['app'], 'POST /api/v1/apps/{appId}/lifecycle/deactivate'),
];

export const ACTIONS: Readonly<Record<ActionName, ActionDef>> = Object.fromEntries(
  DEFS.map((d) => [d.name, d]),
) as Record<ActionName, ActionDef>;

export function isActionName(value: string): value is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(value);
}
