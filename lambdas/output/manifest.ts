/**
 * Commit protocol. A run's data parts are written first; `_manifest.json` is written LAST and lists exactly the
 * files of the committing attempt. Readers (Glue/Athena jobs, the CLI, the next run) treat a run prefix without a
 * manifest as not existing. Committing also deletes stale parts an earlier, longer attempt of the same run id left
 * behind, so the prefix holds exactly what the manifest lists (Athena reads every object under a partition).
 */
import { z } from 'zod';
import type { ClientSideEncryption } from './client-side-encryption.js';
import { CONTEXT_KEY } from './client-side-encryption.js';
import type { ColumnSpec } from './columns.js';
import type { Compression, OutputFormat } from './encoders/types.js';
import { OutputWriteError } from './errors.js';
import { MANIFEST_NAME, manifestKey, PART_NAME } from './keys.js';
import { physicalTypeSchema } from './physical-type-schema.js';
import { storeFor } from './sinks/store.js';
import type { OutputTarget } from './sinks/types.js';
import type { FileEntry } from './writer.js';

export const MANIFEST_VERSION = 1;

const fileEntrySchema = z.object({
  key: z.string(),
  bytes: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const runManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  runId: z.string(),
  flow: z.string(),
  object: z.string(),
  window: z.object({ from: z.string().optional(), to: z.string().optional() }),
  /** The flow's filter exactly as configured (JSON), or null. */
  filter: z.unknown(),
  schema: z.object({
    version: z.string(),
    columns: z.array(z.object({ name: z.string(), type: physicalTypeSchema })),
  }),
  files: z.array(fileEntrySchema),
  totals: z.object({ records: z.number(), bytes: z.number(), files: z.number() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  format: z.enum(['parquet', 'csv', 'jsonl']),
  compression: z.enum(['snappy', 'zstd', 'gzip', 'none']),
  /** How the files are protected; names keys, never holds key material. */
  encryption: z.object({
    serverSide: z.union([
      z.object({ type: z.literal('aws:kms'), kmsKeyId: z.string(), bucketKeyEnabled: z.boolean() }),
      z.object({ type: z.literal('none') }),
    ]),
    clientSide: z.union([
      z.object({ type: z.literal('aws-encryption-sdk'), key: z.string(), encryptionContextKey: z.string() }),
      z.null(),
    ]),
  }),
  /** What `sha256` and `bytes` of each file cover. */
  checksum: z.literal('sha256 of the stored object bytes (the ciphertext when client-side encrypted)'),
});

export type RunManifest = z.infer<typeof runManifestSchema>;

/** What the runner provides; versions, totals and the encryption summary are derived. */
export interface RunManifestInput {
  readonly runId: string;
  readonly flow: string;
  readonly object: string;
  readonly window: { readonly from?: string; readonly to?: string };
  readonly filter: unknown;
  readonly schemaVersion: string;
  readonly columns: readonly ColumnSpec[];
  readonly files: readonly FileEntry[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly format: OutputFormat;
  readonly compression: Compression;
  readonly clientSideEncryption?: ClientSideEncryption;
}

export function buildManifest(target: OutputTarget, input: RunManifestInput): RunManifest {
  const files = input.files.map((f) => ({ key: f.key, bytes: f.bytes, records: f.records, sha256: f.sha256 }));
  return {
    manifestVersion: MANIFEST_VERSION,
    runId: input.runId,
    flow: input.flow,
    object: input.object,
    window: { ...input.window },
    filter: input.filter ?? null,
    schema: { version: input.schemaVersion, columns: input.columns.map((c) => ({ name: c.name, type: c.type })) },
    files,
    totals: {
      records: files.reduce((n, f) => n + f.records, 0),
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      files: files.length,
    },
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    format: input.format,
    compression: input.compression,
    encryption: {
      serverSide:
        target.kind === 's3'
          ? {
              type: 'aws:kms',
              kmsKeyId: target.sseKms.kmsKeyId,
              bucketKeyEnabled: target.sseKms.bucketKeyEnabled ?? true,
            }
          : { type: 'none' },
      clientSide: input.clientSideEncryption
        ? {
            type: 'aws-encryption-sdk',
            key: input.clientSideEncryption.keyDescription,
            encryptionContextKey: CONTEXT_KEY,
          }
        : null,
    },
    checksum: 'sha256 of the stored object bytes (the ciphertext when client-side encrypted)',
  };
}

/**
 * Commits a run: checks every listed file exists under keyPrefix, deletes stale parts not listed, then writes
 * `_manifest.json` (SSE-KMS like every other object). Returns the manifest key. Idempotent.
 */
export async function writeManifest(target: OutputTarget, keyPrefix: string, manifest: RunManifest): Promise<string> {
  const store = storeFor(target);
  const key = manifestKey(keyPrefix);
  const existing = new Set(await store.listKeys(`${keyPrefix}/`));
  const listed = new Set(manifest.files.map((f) => f.key));
  for (const file of manifest.files) {
    if (!file.key.startsWith(`${keyPrefix}/`)) {
      throw new OutputWriteError(`Manifest file ${file.key} is outside the run prefix ${keyPrefix}/`, key);
    }
    if (!existing.has(file.key)) {
      throw new OutputWriteError(`Cannot commit: ${file.key} is listed but missing from ${store.description}`, key);
    }
  }
  const stale = [...existing].filter((k) => {
    const name = k.slice(keyPrefix.length + 1);
    return !listed.has(k) && PART_NAME.test(name);
  });
  if (stale.length > 0) await store.deleteKeys(stale);
  await store.putObject(key, `${JSON.stringify(runManifestSchema.parse(manifest), null, 2)}\n`, 'application/json');
  return key;
}

/** The run's manifest, or null when the run is not committed. Throws if the manifest is malformed. */
export async function readManifest(target: OutputTarget, keyPrefix: string): Promise<RunManifest | null> {
  const bytes = await storeFor(target).getObject(manifestKey(keyPrefix));
  if (bytes === null) return null;
  return runManifestSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

export interface CommittedRun {
  readonly dt: string;
  readonly runId: string;
  readonly keyPrefix: string;
  readonly manifestKey: string;
}

/** Committed runs of one object (those with a manifest), oldest partition first. */
export async function listCommittedRuns(target: OutputTarget, prefix: string, object: string): Promise<CommittedRun[]> {
  const base = [prefix.replace(/^\/+|\/+$/g, ''), object].filter((s) => s !== '').join('/');
  const keys = await storeFor(target).listKeys(`${base}/`);
  const runs: CommittedRun[] = [];
  const pattern = new RegExp(
    `^${escapeRegExp(base)}/dt=(\\d{4}-\\d{2}-\\d{2})/run_id=([^/]+)/${escapeRegExp(MANIFEST_NAME)}$`,
  );
  for (const key of keys) {
    const match = pattern.exec(key);
    if (match?.[1] && match[2]) {
      runs.push({
        dt: match[1],
        runId: match[2],
        keyPrefix: key.slice(0, -MANIFEST_NAME.length - 1),
        manifestKey: key,
      });
    }
  }
  return runs;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
