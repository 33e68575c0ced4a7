/**
 * Delete detection for full flows by snapshot diff: every full run records the ids it read; at commit, ids of the
 * previous committed snapshot that are absent now become tombstones (source `snapshot-diff`, deleted_at = this run's
 * plan time, the latest moment we know they were gone). With a filter, "absent" means "no longer matches" (e.g. a
 * user that left status ACTIVE), which is what a filtered snapshot's reader needs too.
 *
 * Id lists live in the output target under `<prefix>/_state/snapshots/<flow>/` (outside every table's prefix):
 * one file per extract invocation while the run works, then one sorted file per committed snapshot, which the flow
 * state points to only once the run commits.
 */
import { type OktaObjectName, PER_PARENT_SNAPSHOT_OBJECTS } from '../../okta/catalog/types.js';
import { storeFor } from '../../output/sinks/store.js';
import type { OutputTarget } from '../../output/sinks/types.js';
import type { Tombstone } from './system-log-deletes.js';

/**
 * Whether a run of the flow diffs snapshots: full runs of snapshot-diff flows, and incremental runs of relations
 * that re-read whole parents (GroupMember), which diff per parent: only the parents the run listed are compared.
 */
export function snapshotDiffApplies(
  flow: { readonly object: OktaObjectName; readonly deleteDetection: string },
  mode: 'full' | 'incremental',
): boolean {
  return (
    flow.deleteDetection === 'snapshot-diff' && (mode === 'full' || PER_PARENT_SNAPSHOT_OBJECTS.includes(flow.object))
  );
}

/**
 * Id-list lines that name a parent the run listed (relations): `parent\t<id>`. Record keys never start with it
 * (single ids are Okta ids, composite keys JSON arrays), so one file holds both.
 */
export const PARENT_LINE = 'parent\t';

/**
 * Id-list lines of an incremental relation run that name a parent that exists (matches the flow's parent filter,
 * whatever its cursor): `exists\t<id>`; the line `exists-complete` says the listing of them finished. Neither can
 * be a record key (Okta ids have no tab or dash; composite keys are JSON arrays).
 */
export const EXISTING_LINE = 'exists\t';
export const EXISTENCE_COMPLETE = 'exists-complete';

/**
 * The per-parent diff of a relation: the previous snapshot's pairs whose parent this run listed and did not read
 * again are tombstones, and so are the pairs of parents that no longer exist (when the run listed the existing
 * parents: `existingParents` not null); the next snapshot is the previous pairs of the other parents (existing, not
 * re-read) plus everything read. With every parent listed (a full run) it is the plain snapshot diff.
 */
export function perParentDiff(
  previous: readonly string[],
  current: ReadonlySet<string>,
  listedParents: ReadonlySet<string>,
  existingParents: ReadonlySet<string> | null = null,
): { gone: string[]; next: string[] } {
  const gone: string[] = [];
  const next = new Set(current);
  for (const key of previous) {
    const parent = parentOfKey(key);
    if (parent !== undefined && listedParents.has(parent)) {
      if (!current.has(key)) gone.push(key);
    } else if (parent !== undefined && existingParents !== null && !existingParents.has(parent)) {
      gone.push(key);
    } else {
      next.add(key);
    }
  }
  return { gone, next: [...next].sort() };
}

/** The first value of a composite key (`["00g…","00u…"]` → `00g…`): a relation's parent id. */
function parentOfKey(key: string): string | undefined {
  if (!key.startsWith('[')) return undefined;
  try {
    const values = JSON.parse(key) as unknown;
    return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
  } catch {
    return undefined;
  }
}

export function snapshotRoot(prefix: string, flow: string): string {
  return [prefix.replace(/^\/+|\/+$/g, ''), '_state', 'snapshots', flow].filter((s) => s !== '').join('/');
}

/** Ids read by one extract invocation, keyed by where it started so a retried invocation overwrites its own file. */
export function invocationIdsKey(
  prefix: string,
  flow: string,
  runId: string,
  taskId: string,
  startPart: number,
  invocation: number,
): string {
  const part = String(startPart).padStart(5, '0');
  return `${snapshotRoot(prefix, flow)}/${runId}/${taskId}-${part}-i${String(invocation).padStart(5, '0')}.ids`;
}

export function snapshotIdsKey(prefix: string, flow: string, runId: string): string {
  return `${snapshotRoot(prefix, flow)}/${runId}.ids`;
}

export async function writeIds(target: OutputTarget, key: string, ids: Iterable<string>): Promise<void> {
  await storeFor(target).putObject(key, [...ids].join('\n'), 'text/plain');
}

export async function readIds(target: OutputTarget, key: string): Promise<string[]> {
  const bytes = await storeFor(target).getObject(key);
  if (bytes === null) return [];
  return Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Ids of the previous snapshot missing from the current one, as tombstones. */
export function snapshotTombstones(
  object: OktaObjectName,
  previous: readonly string[],
  current: ReadonlySet<string>,
  deletedAt: string,
): Tombstone[] {
  return previous
    .filter((id) => !current.has(id))
    .map((id) => ({ id, object, deleted_at: deletedAt, source: 'snapshot-diff' as const, event_id: null }));
}
