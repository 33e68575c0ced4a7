/**
 * The output writer: records in, rolling files out (part-00000, part-00001, …), each streamed to its store as it
 * is encoded. Per file the bytes flow: encoder → [gzip] → [client-side encryption] → sha256/byte counter → upload.
 * Memory is bounded by one Parquet row group + the upload's buffered parts, never by the file or run size.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { OktaRecord } from '../okta/types.js';
import { type ClientSideEncryption, createEncryptingStream, ENCRYPTED_SUFFIX } from './client-side-encryption.js';
import type { ColumnSpec } from './columns.js';
import type { ParquetEncoderOptions } from './encoders/parquet.js';
import type { Compression, FileEncoder, OutputFormat } from './encoders/types.js';
import { OutputConfigError, OutputWriteError } from './errors.js';
import { createEncoder, type FormatSettings, resolveFormat } from './formats.js';
import { partKey } from './keys.js';
import { storeFor } from './sinks/store.js';
import type { ObjectStore, ObjectUpload, OutputTarget } from './sinks/types.js';

export const DEFAULT_TARGET_FILE_BYTES = 128 * 1024 * 1024;
/** Records encoded between two roll checks, so one huge write() still rolls near the target size. */
const ROLL_CHECK_RECORDS = 500;

/** One committed data file. `sha256`/`bytes` describe the bytes as stored (ciphertext when client-side encrypted). */
export interface FileEntry {
  readonly key: string;
  readonly bytes: number;
  readonly records: number;
  readonly sha256: string;
}

export interface OutputObserver {
  onFileCompleted?(info: FileEntry & { durationMs: number }): void;
  onFileAborted?(info: { key: string; reason: string }): void;
}

export interface OutputWriterOptions {
  /** Where files go. S3 targets carry their SSE-KMS settings, applied to every write. */
  readonly target: OutputTarget;
  /** `<prefix>/<object>/dt=YYYY-MM-DD/run_id=<runId>` — see runKeyPrefix(). */
  readonly keyPrefix: string;
  readonly format: OutputFormat;
  /** Parquet: snappy (default) | zstd | gzip | none. CSV/JSONL: none (default) | gzip (whole file, `.gz`). */
  readonly compression?: Compression;
  readonly columns: readonly ColumnSpec[];
  /** Roll to a new file once a file's stored bytes (+ a held row group) reach this (default 128 MiB). */
  readonly targetFileBytes?: number;
  /** Roll to a new file after this many records (exact). */
  readonly maxRecordsPerFile?: number;
  /** First part index of this writer: pass the previous checkpoint's nextPartIndex when resuming a run. */
  readonly startPartIndex?: number;
  /**
   * Distinguishes writers that share one run prefix at the same time (parallel slices of one object): keys become
   * `part-<label>-00000.<ext>`. Lowercase letters, digits and dashes.
   */
  readonly partLabel?: string;
  /** CSV text for null (default: empty field). */
  readonly csvNull?: string;
  readonly parquet?: Omit<ParquetEncoderOptions, 'compression'>;
  readonly clientSideEncryption?: ClientSideEncryption;
  readonly observer?: OutputObserver;
}

export interface OutputWriter {
  /** Encodes and streams records; resolves when they are handed to the upload (backpressure respected). */
  write(records: readonly OktaRecord[]): Promise<void>;
  /** Finishes the open file (if any) so a later invocation can continue at nextPartIndex. Writer stays usable. */
  checkpoint(): Promise<{ files: FileEntry[]; nextPartIndex: number }>;
  /** Finishes the open file; returns every file this writer completed. The writer is closed afterwards. */
  close(): Promise<{ files: FileEntry[]; nextPartIndex: number }>;
  /** Discards the open file (aborting its multipart upload). Completed files stay; the manifest decides. */
  abort(reason: string): Promise<void>;
}

interface OpenFile {
  readonly key: string;
  readonly encoder: FileEncoder;
  readonly head: Writable;
  readonly upload: ObjectUpload;
  /** Rejects as soon as the pipeline or the upload fails, so a writer blocked on backpressure wakes up. */
  readonly failure: Promise<never>;
  readonly flowed: Promise<void>;
  /** Resolves when the object is stored; rejects with the upload's cause in preference to the pipeline's. */
  readonly settled: Promise<void>;
  readonly counter: { bytes: number; hash: Hash };
  readonly startedAt: number;
  records: number;
}

export function createOutputWriter(options: OutputWriterOptions): OutputWriter {
  const settings = resolveFormat(options.format, options.compression);
  const store = storeFor(options.target);
  const targetFileBytes = options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES;
  const maxRecords = options.maxRecordsPerFile ?? Number.POSITIVE_INFINITY;
  if (!(targetFileBytes > 0) || !(maxRecords > 0)) {
    throw new OutputConfigError('targetFileBytes and maxRecordsPerFile must be positive');
  }
  if (options.columns.length === 0) throw new OutputConfigError('at least one output column is required');
  const extension = options.clientSideEncryption ? `${settings.extension}${ENCRYPTED_SUFFIX}` : settings.extension;
  const contentType = options.clientSideEncryption ? 'application/octet-stream' : settings.contentType;
  let nextIndex = options.startPartIndex ?? 0;
  partKey(options.keyPrefix, nextIndex, extension, options.partLabel); // validates index and label up front
  let current: OpenFile | undefined;
  let state: 'open' | 'closed' | 'failed' = 'open';
  const completed: FileEntry[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const open = async (): Promise<OpenFile> => {
    const key = partKey(options.keyPrefix, nextIndex, extension, options.partLabel);
    nextIndex++;
    return openFile(store, key, contentType, settings, options);
  };

  const finishFile = async (file: OpenFile): Promise<FileEntry> => {
    try {
      await writeChunks(file, await file.encoder.finish());
      file.head.end();
      await file.settled;
    } catch (cause) {
      await abortFile(file, cause);
      throw asWriteError(file.key, cause);
    }
    const entry: FileEntry = {
      key: file.key,
      bytes: file.counter.bytes,
      records: file.records,
      sha256: file.counter.hash.digest('hex'),
    };
    completed.push(entry);
    options.observer?.onFileCompleted?.({ ...entry, durationMs: Date.now() - file.startedAt });
    return entry;
  };

  const abortFile = async (file: OpenFile, cause: unknown): Promise<void> => {
    const reason = cause instanceof Error ? cause.message : String(cause);
    file.head.destroy();
    await file.upload.abort(reason);
    await file.flowed.catch(() => undefined);
    options.observer?.onFileAborted?.({ key: file.key, reason });
  };

  const fail = async (cause: unknown): Promise<never> => {
    state = 'failed';
    const file = current;
    current = undefined;
    if (file) await abortFile(file, cause).catch(() => undefined);
    throw cause;
  };

  const doWrite = async (records: readonly OktaRecord[]): Promise<void> => {
    let offset = 0;
    while (offset < records.length) {
      if (state !== 'open') throw new OutputConfigError(`output writer is ${state}`);
      current ??= await open();
      const file = current;
      const room = maxRecords - file.records;
      const take = Math.min(room, ROLL_CHECK_RECORDS, records.length - offset);
      const batch = records.slice(offset, offset + take);
      offset += take;
      const chunks = await file.encoder.encode(batch);
      file.records += batch.length;
      try {
        await writeChunks(file, chunks);
      } catch (cause) {
        throw asWriteError(file.key, cause);
      }
      if (file.records >= maxRecords || file.counter.bytes + file.encoder.heldBytes >= targetFileBytes) {
        current = undefined;
        await finishFile(file);
      }
    }
  };

  // Calls are serialized: the runner may fire write() without awaiting, and files must stay in order.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => {
      if (state !== 'open') throw new OutputConfigError(`output writer is ${state}; create a new one`);
      return fn().catch(fail);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const finishCurrent = async (): Promise<void> => {
    const file = current;
    current = undefined;
    if (file) await finishFile(file);
  };

  return {
    write: (records) => serial(() => doWrite(records)),
    checkpoint: () =>
      serial(async () => {
        await finishCurrent();
        return { files: [...completed], nextPartIndex: nextIndex };
      }),
    close: () =>
      serial(async () => {
        await finishCurrent();
        state = 'closed';
        return { files: [...completed], nextPartIndex: nextIndex };
      }),
    // Not queued behind writes: aborting must also unblock a write stuck on a stalled upload.
    abort: async (reason) => {
      if (state === 'closed') return;
      state = 'failed';
      const file = current;
      current = undefined;
      if (file) await abortFile(file, new Error(reason));
      await queue;
    },
  };
}

function openFile(
  store: ObjectStore,
  key: string,
  contentType: string,
  settings: FormatSettings,
  options: OutputWriterOptions,
): OpenFile {
  const upload = store.openUpload(key, contentType);
  const counter = { bytes: 0, hash: createHash('sha256') };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      counter.hash.update(chunk);
      callback(null, chunk);
    },
  });
  const stages: (Transform | NodeJS.ReadWriteStream)[] = [];
  if (settings.gzipStream) stages.push(createGzip());
  if (options.clientSideEncryption) stages.push(createEncryptingStream(options.clientSideEncryption, key));
  stages.push(tap);
  const head = stages[0] as Writable;
  const flowed = pipeline([...stages, upload.stream] as unknown as [Transform, Writable]);
  flowed.catch(() => undefined);
  // When the upload fails, the pipeline fails too (with a bland AbortError); report the upload's cause first.
  const settled = flowed.then(
    () => upload.done(),
    async (cause: unknown) => {
      await upload.done();
      throw cause;
    },
  );
  settled.catch(() => undefined);
  const failure = Promise.race([
    settled.then(() => new Promise<never>(() => undefined)),
    upload.done().then(() => new Promise<never>(() => undefined)),
  ]);
  failure.catch(() => undefined);
  const encoder = createEncoder(settings, options.columns, { csvNull: options.csvNull, parquet: options.parquet });
  return { key, encoder, head, upload, failure, flowed, settled, counter, startedAt: Date.now(), records: 0 };
}

async function writeChunks(file: OpenFile, chunks: readonly Uint8Array[]): Promise<void> {
  try {
    for (const chunk of chunks) {
      if (!file.head.write(chunk)) {
        await Promise.race([once(file.head, 'drain'), file.failure]);
      }
    }
  } catch (cause) {
    // A stream error here is usually the echo of an upload failure: surface the upload's own cause.
    await file.settled;
    throw cause;
  }
}

function asWriteError(key: string, cause: unknown): OutputWriteError {
  if (cause instanceof OutputWriteError) return cause;
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new OutputWriteError(`Writing ${key} failed: ${detail}`, key, { cause });
}
