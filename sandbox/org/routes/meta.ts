import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { unpaginated } from '../paging.js';

/** `GET /api/v1/meta/types/user`: every user type, not paginated. */
export function listUserTypes(state: OrgState): RouteResult {
  const items = [];
  for (let i = 0; i < state.userTypes.count; i++) items.push(state.userTypes.serialize(i));
  return unpaginated(items);
}

export function getUserType(state: OrgState, id: string): RouteResult {
  const i = state.userTypes.resolve(id);
  if (i === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: state.userTypes.serialize(i) };
}

export function getUserSchema(state: OrgState, id: string): RouteResult {
  const i = state.userTypes.resolveSchema(id);
  if (i === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: state.userTypes.schema(i) };
}
