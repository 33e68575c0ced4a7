/**
 * The commit point of the lake: ONE object per committed run, `<prefix>/_commits/<Object>/<runId>.json`, written
 * last, after every file it lists is in place. A run exists for readers exactly when its commit record does:
 * Athena (the views join the data files with the `_<table>_commits` table on the run id of each file's path),
 * `okta-flow query`, the next run, and anyone listing the bucket. Data and tombstone files of one run become visible
 * together, because the one record lists both.
 *
 * The record is one line of JSON (Athena's JSON SerDe reads one object per line): the run's identity, window and
 * commit time as top-level snake_case keys (the columns of the commits table), then the manifest of each file set
 * (files with sizes and SHA-256, schema, format, encryption) and the flow state the commit moves to, so a crash after
 * the record is finished by rolling forward, never by deleting committed data.
 */
import { z } from 'zod';
import { streamPositionSchema } from '../okta/extract/log-stream-position.js';
import { type RunManifest, runManifestSchema } from '../output/manifest.js';
import { storeFor } from '../output/sinks/store.js';
import type { OutputTarget } from '../output/sinks/types.js';
import { type LakeColumn, lakeColumnSchema } from './lake-columns.js';

export const COMMITS_FOLDER = '_commits';
export const COMMIT_RECORD_VERSION = 1;

const fileSetSchema = z.object({
  manifest: runManifestSchema,
  /** The output columns with their Okta paths (JSONL files are nested by these paths). */
  columns: z.array(lakeColumnSchema),
  /** CSV: the text of a null cell (`output.csvNull`), so readers tell null from an empty string. */
  csvNull: z.string(),
});

const snapshotSchema = z.object({
  runId: z.string(),
  committedAt: z.string(),
  idsKey: z.string(),
  count: z.number().int().nonnegative(),
});

export const commitRecordSchema = z.object({
  commit_version: z.literal(COMMIT_RECORD_VERSION),
  run_id: z.string().min(1),
  flow: z.string().min(1),
  object: z.string().min(1),
  /** UTC day of the run's plan time: its files are under `dt=<dt>/`. */
  dt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  committed_at: z.string(),
  mode: z.enum(['full', 'incremental']),
  trigger: z.enum(['schedule', 'manual']),
  window_from: z.string().nullable(),
  window_to: z.string(),
  records: fileSetSchema,
  deletes: fileSetSchema.nullable(),
  /** The flow state this commit moves to (applied right after the record; rolled forward after a crash). */
  state: z.object({
    /** The state version the run was planned on: the watermark put is conditional on it. */
    planVersion: z.string().nullable(),
    watermark: z.string().nullable(),
    records: z.number().int().nonnegative(),
    snapshot: snapshotSchema.nullable(),
    /** Stream objects: where the stream stands after this run (absent in records of other objects). */
    stream: streamPositionSchema.nullable().optional(),
  }),
});

export type CommitRecord = z.infer<typeof commitRecordSchema>;

export interface CommitFileSet {
  readonly manifest: RunManifest;
  readonly columns: readonly LakeColumn[];
  readonly csvNull: string;
}

/** A commit record that is not what okta-flow writes (hand-edited, truncated, or from a newer version). */
export class CommitRecordError extends Error {
  override readonly name = 'CommitRecordError';
  readonly key: string;
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(
      `The commit record ${key} is unreadable (${reason}). Readers cannot tell which files it commits: restore it ` +
        'from the bucket versions, or delete it to un-commit that run.',
      options,
    );
    this.key = key;
  }
}

function trimPrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** `<prefix>/_commits/`: where every object's commit records live. */
export function commitsRoot(prefix: string): string {
  return [trimPrefix(prefix), COMMITS_FOLDER].filter((s) => s !== '').join('/');
}

/** `<prefix>/_commits/<Object>`: one object's commit records (the location of its commits table). */
export function commitsPrefix(prefix: string, object: string): string {
  return `${commitsRoot(prefix)}/${object}`;
}

export function commitKey(prefix: string, object: string, runId: string): string {
  return `${commitsPrefix(prefix, object)}/${runId}.json`;
}

/** Writes the commit record: from here on the run is committed. Idempotent (same run, same key). */
export async function writeCommit(target: OutputTarget, prefix: string, record: CommitRecord): Promise<string> {
  const key = commitKey(prefix, record.object, record.run_id);
  const body = `${JSON.stringify(commitRecordSchema.parse(record))}\n`;
  await storeFor(target).putObject(key, body, 'application/json');
  return key;
}

/** The run's commit record, or null when the run is not committed. */
export async function readCommit(
  target: OutputTarget,
  prefix: string,
  object: string,
  runId: string,
): Promise<CommitRecord | null> {
  const key = commitKey(prefix, object, runId);
  const bytes = await storeFor(target).getObject(key);
  return bytes === null ? null : parseCommit(key, bytes);
}

export function parseCommit(key: string, bytes: Uint8Array): CommitRecord {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CommitRecordError(key, 'not JSON', { cause: error });
  }
  const parsed = commitRecordSchema.safeParse(json);
  if (!parsed.success) throw new CommitRecordError(key, z.prettifyError(parsed.error).replaceAll('\n', '; '));
  return parsed.data;
}

/** Every committed run of an object, in commit order (committed_at, then run id), as the views order them. */
export async function listCommits(target: OutputTarget, prefix: string, object: string): Promise<CommitRecord[]> {
  const store = storeFor(target);
  const keys = (await store.listKeys(`${commitsPrefix(prefix, object)}/`)).filter((k) => /\/[^/]+\.json$/.test(k));
  const records: CommitRecord[] = [];
  for (const key of keys) {
    const bytes = await store.getObject(key);
    if (bytes !== null) records.push(parseCommit(key, bytes));
  }
  const order = (r: CommitRecord) => `${r.committed_at}\u0000${r.run_id}`;
  return records.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Objects with at least one committed run. */
export async function committedObjects(target: OutputTarget, prefix: string): Promise<string[]> {
  const root = `${commitsRoot(prefix)}/`;
  const objects = new Set<string>();
  for (const key of await storeFor(target).listKeys(root)) {
    const match = /^([^/]+)\/[^/]+\.json$/.exec(key.slice(root.length));
    if (match?.[1]) objects.add(match[1]);
  }
  return [...objects].sort();
}
