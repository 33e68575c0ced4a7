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
import type { OktaObjectName } from '../../okta/catalog/types.js';
import { storeFor } from '../../output/sinks/store.js';
import type { OutputTarget } from '../../output/sinks/types.js';
import type { Tombstone } from './system-log-deletes.js';

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
): string {
  return `${snapshotRoot(prefix, flow)}/${runId}/${taskId}-${String(startPart).padStart(5, '0')}.ids`;
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
