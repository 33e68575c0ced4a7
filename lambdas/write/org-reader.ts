/**
 * Reads what resolution needs from the live org, each thing once per resolution (cached): users by id or login,
 * groups by id or name, apps by id or label, memberships, app assignments, factors, roles, the credential's user.
 * A 404 is "not there" (undefined); every other error propagates.
 */
import { OktaApiError } from '../okta/errors.js';
import type { OktaRecord } from '../okta/types.js';
import type { OktaWriteApi } from './okta-write-api.js';

const enc = encodeURIComponent;

async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof OktaApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Group ids look like `00g…`, app ids `0oa…` (20 characters); anything else is a name or label. */
const GROUP_ID = /^00g[A-Za-z0-9]{17}$/;
const APP_ID = /^0oa[A-Za-z0-9]{17}$/;

export type Found = { kind: 'one'; record: OktaRecord } | { kind: 'none' } | { kind: 'many'; count: number };

export class OrgReader {
  readonly #cache = new Map<string, Promise<unknown>>();
  constructor(private readonly api: OktaWriteApi) {}

  #once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let hit = this.#cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = read();
      this.#cache.set(key, hit);
    }
    return hit;
  }

  /** By id or login (Okta's GET /api/v1/users/{id|login} serves both, any status). */
  user(ref: string): Promise<OktaRecord | undefined> {
    return this.#once(`user:${ref}`, () => orMissing(this.api.getJson<OktaRecord>(`/api/v1/users/${enc(ref)}`)));
  }

  async group(ref: string): Promise<Found> {
    return this.#once(`group:${ref}`, async () => {
      if (GROUP_ID.test(ref)) {
        const record = await orMissing(this.api.getJson<OktaRecord>(`/api/v1/groups/${ref}`));
        return record ? { kind: 'one', record } : { kind: 'none' };
      }
      const search = `profile.name eq ${JSON.stringify(ref)}`;
      const matches: OktaRecord[] = [];
      for await (const page of this.api.paginate(`/api/v1/groups?search=${enc(search)}&limit=200`)) {
        for (const g of page.items) {
          const name = (g.profile as { name?: unknown } | undefined)?.name;
          if (typeof name === 'string' && name.toLowerCase() === ref.toLowerCase()) matches.push(g);
        }
      }
      return found(matches);
    });
  }

  async app(ref: string): Promise<Found> {
    return this.#once(`app:${ref}`, async () => {
      if (APP_ID.test(ref)) {
        const record = await orMissing(this.api.getJson<OktaRecord>(`/api/v1/apps/${ref}`));
        return record ? { kind: 'one', record } : { kind: 'none' };
      }
      const matches: OktaRecord[] = [];
      for await (const page of this.api.paginate(`/api/v1/apps?q=${enc(ref)}&limit=200`)) {
        for (const a of page.items) if (a.label === ref) matches.push(a);
      }
      return found(matches);
    });
  }

  /** Ids of the groups the user is a member of. */
  userGroupIds(userId: string): Promise<ReadonlySet<string>> {
    return this.#once(`user-groups:${userId}`, async () => {
      const ids = new Set<string>();
      for await (const page of this.api.paginate(`/api/v1/users/${userId}/groups?limit=200`)) {
        for (const g of page.items) if (typeof g.id === 'string') ids.add(g.id);
      }
      return ids;
    });
  }

  /** The user's assignment to the app (`scope` USER or GROUP), or undefined. */
  appUser(appId: string, userId: string): Promise<OktaRecord | undefined> {
    return this.#once(`app-user:${appId}:${userId}`, () =>
      orMissing(this.api.getJson<OktaRecord>(`/api/v1/apps/${appId}/users/${userId}`)),
    );
  }

  appGroup(appId: string, groupId: string): Promise<OktaRecord | undefined> {
    return this.#once(`app-group:${appId}:${groupId}`, () =>
      orMissing(this.api.getJson<OktaRecord>(`/api/v1/apps/${appId}/groups/${groupId}`)),
    );
  }

  /** How many factors the user has enrolled. */
  factorCount(userId: string): Promise<number> {
    return this.#once(`factors:${userId}`, async () => {
      const list = await this.api.getJson<unknown>(`/api/v1/users/${userId}/factors`);
      return Array.isArray(list) ? list.length : 0;
    });
  }

  /** True when the user holds SUPER_ADMIN, directly or through a group. */
  isSuperAdmin(userId: string): Promise<boolean> {
    return this.#once(`super:${userId}`, async () => {
      const roles = await orMissing(this.api.getJson<unknown>(`/api/v1/users/${userId}/roles`));
      return Array.isArray(roles) && roles.some((r) => (r as { type?: unknown } | null)?.type === 'SUPER_ADMIN');
    });
  }

  /**
   * The id of the credential's own user (`/users/me`), or undefined for a service app (OAuth client credentials
   * act as the app, not a user: Okta answers 404 or 400 there).
   */
  selfId(): Promise<string | undefined> {
    return this.#once('self', async () => {
      try {
        const me = await this.api.getJson<OktaRecord>('/api/v1/users/me');
        return typeof me?.id === 'string' ? me.id : undefined;
      } catch (error) {
        if (
          error instanceof OktaApiError &&
          error.status >= 400 &&
          error.status < 500 &&
          error.status !== 401 &&
          error.status !== 429
        ) {
          return undefined;
        }
        throw error;
      }
    });
  }
}

function found(matches: OktaRecord[]): Found {
  if (matches.length === 1 && matches[0]) return { kind: 'one', record: matches[0] };
  return matches.length === 0 ? { kind: 'none' } : { kind: 'many', count: matches.length };
}
