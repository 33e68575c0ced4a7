/**
 * "Each record once per run": the primary keys a task has read, carried across its invocations.
 *
 * Every extract invocation writes the 64-bit key hashes it added (KeySet.takeAdded: 8 bytes per id, so 8 MB per
 * million ids) to `<prefix>/_state/dedupe/<flow>/<runId>/<taskId>-<invocation>.keys` in the output target, beside
 * the snapshot id lists, and lists the file in the task's checkpoint; the next invocation loads them all before it
 * reads a page. Files are named by the invocation's number, not its first part index: an invocation that wrote no
 * part (every record filtered out) still read keys. A retried invocation has the same number and overwrites its
 * own file; files of invocations at or past the continuation's count came from an attempt that crashed before
 * handing over and are ignored, like its part files.
 *
 * The key set is per task. Parallel slices of one run never need each other's keys: their ranges are disjoint by
 * construction (half-open `[from, to)` on one field, pushed down) and the residual re-checks each record's slice
 * field against its slice, so a record can only ever be in one slice's output.
 */
import { KeySet } from '../../okta/extract/key-set.js';
import { storeFor } from '../../output/sinks/store.js';
import type { OutputTarget } from '../../output/sinks/types.js';
import { RunStateError } from './errors.js';

export interface KeysFile {
  /** The invocation (0, 1, …) that added these keys. */
  readonly invocation: number;
  readonly key: string;
}

export function dedupeRoot(prefix: string, flow: string, runId: string): string {
  return [prefix.replace(/^\/+|\/+$/g, ''), '_state', 'dedupe', flow, runId].filter((s) => s !== '').join('/');
}

export function invocationKeysKey(
  prefix: string,
  flow: string,
  runId: string,
  taskId: string,
  invocation: number,
): string {
  return `${dedupeRoot(prefix, flow, runId)}/${taskId}-${String(invocation).padStart(5, '0')}.keys`;
}

/** The task's key set as its earlier invocations left it. A listed file that is missing means lost state. */
export async function loadTaskKeys(target: OutputTarget, files: readonly KeysFile[]): Promise<KeySet> {
  const store = storeFor(target);
  const set = new KeySet();
  for (const file of [...files].sort((a, b) => a.invocation - b.invocation)) {
    const bytes = await store.getObject(file.key);
    if (bytes === null) {
      throw new RunStateError(
        `The key list ${file.key} of an earlier invocation is missing: without it records could be committed ` +
          'twice. The run cannot continue; start a new run.',
      );
    }
    set.loadBytes(bytes);
  }
  return set;
}

export async function saveInvocationKeys(target: OutputTarget, key: string, bytes: Uint8Array): Promise<void> {
  await storeFor(target).putObject(key, bytes, 'application/octet-stream');
}
