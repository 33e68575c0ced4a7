import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { unpaginated } from '../paging.js';
import { resolveUser } from './users.js';

/** `GET /api/v1/users/{id}/factors`: the user's enrolled factors, not paginated (one request per user). */
export function listFactors(state: OrgState, id: string): RouteResult {
  const u = resolveUser(state, id);
  if (u === undefined) return errorResult(errors.notFound(id));
  return unpaginated(state.factors.factors(u).map((factor) => state.factors.serialize(u, factor)));
}
