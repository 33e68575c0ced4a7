/** The OAuth scopes a plan's actions need (Okta's `*.manage` scopes imply the matching read scopes). */
import { ACTIONS, type ActionName } from './actions.js';

export const WRITE_SCOPES = ['okta.users.manage', 'okta.groups.manage', 'okta.apps.manage'] as const;

export function writeScopeFor(action: ActionName): (typeof WRITE_SCOPES)[number] {
  if (action.endsWith('-app')) return 'okta.apps.manage';
  if (action.endsWith('-group') && !action.includes('user')) return 'okta.groups.manage';
  if (action === 'add-user-to-group' || action === 'remove-user-from-group') return 'okta.groups.manage';
  return 'okta.users.manage';
}

/**
 * Distinct scopes, in WRITE_SCOPES order (each implies its read scope), plus okta.roles.read when the plan
 * deactivates, suspends or deletes users: the guard rail reads their roles to find super administrators.
 */
export function writeScopesFor(actions: readonly ActionName[]): string[] {
  const needed = new Set(actions.map(writeScopeFor));
  const scopes: string[] = WRITE_SCOPES.filter((s) => needed.has(s));
  if (actions.some((a) => ACTIONS[a].guarded)) scopes.push('okta.roles.read');
  return scopes;
}
