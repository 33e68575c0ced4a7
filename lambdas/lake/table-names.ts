/**
 * Names of an object's lake tables and views, from the catalog name alone, so objects added later (relations,
 * LogEvent) get theirs for free. Plural snake_case keeps clear of SQL keywords (`user`, `group`).
 *
 *   users            view: every committed version (one row per record per committed run)
 *   users_current    view: the latest committed version per primary key, tombstoned keys gone
 *   user_deletes     view: every committed tombstone
 *   _users_parts, _user_deletes_parts, _users_commits   the tables under them (files and commit records)
 */

/** `UserType` → `user_type`. */
export function snakeObjectName(object: string): string {
  return object.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export interface LakeTableNames {
  /** Every committed version: `users`. */
  readonly history: string;
  /** Latest committed version per key: `users_current`. */
  readonly current: string;
  /** Committed tombstones: `user_deletes`. */
  readonly deletes: string;
  /** The data files of the object's runs: `_users_parts`. */
  readonly parts: string;
  /** The tombstone files of the object's runs: `_user_deletes_parts`. */
  readonly deletesParts: string;
  /** The commit records of the object's runs: `_users_commits`. */
  readonly commits: string;
}

export function lakeTableNames(object: string): LakeTableNames {
  const singular = snakeObjectName(object);
  const plural = `${singular}s`;
  return {
    history: plural,
    current: `${plural}_current`,
    deletes: `${singular}_deletes`,
    parts: `_${plural}_parts`,
    deletesParts: `_${singular}_deletes_parts`,
    commits: `_${plural}_commits`,
  };
}
