/**
 * The manifest of a run's file set: exactly the files of the committing attempt (key, bytes, records, SHA-256), the
 * schema, format and encryption. It is not an object of its own: the run's one commit record
 * (lambdas/lake/commit-log.ts) carries it, and becomes visible last. Before that, `sealRunFiles` checks every listed
 * file is in place and deletes stale parts an earlier, longer attempt of the same run id left behind, so the run's
 * prefix holds exactly what the manifest lists (Athena reads every object under a location).
 */
import { z } from 'zod';
import type { ClientSideEncryption } from './client-side-encryption.js';
import { CONTEXT_KEY } from './client-side-encryption.js';
import type { ColumnSpec } from './columns.js';
import type { Compression, OutputFormat } from './encoders/types.js';
import { OutputWriteError } from './errors.js';
import { LEGACY_MANIFEST_NAME, PART_NAME } from './keys.js';
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
 * Makes a run prefix hold exactly the manifest's files: checks each listed file exists under keyPrefix, then deletes
 * part files not listed (and the `_manifest.json` of okta-flow versions that wrote one per run). Idempotent.
 */
export async function sealRunFiles(target: OutputTarget, keyPrefix: string, manifest: RunManifest): Promise<void> {
  const store = storeFor(target);
  const existing = new Set(await store.listKeys(`${keyPrefix}/`));
  const listed = new Set(manifest.files.map((f) => f.key));
  for (const file of manifest.files) {
    if (!file.key.startsWith(`${keyPrefix}/`)) {
      throw new OutputWriteError(`Manifest file ${file.key} is outside the run prefix ${keyPrefix}/`, file.key);
    }
    if (!existing.has(file.key)) {
      throw new OutputWriteError(
        `Cannot commit: ${file.key} is listed but missing from ${store.description}`,
        file.key,
      );
    }
  }
  const stale = [...existing].filter((k) => {
    const name = k.slice(keyPrefix.length + 1);
    return !listed.has(k) && (PART_NAME.test(name) || name === LEGACY_MANIFEST_NAME);
  });
  if (stale.length > 0) await store.deleteKeys(stale);
}
