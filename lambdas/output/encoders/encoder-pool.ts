/**
 * One Parquet encoder worker thread shared by every open file of the process (parallel slices write their own
 * files at once; one worker per file would multiply memory and threads). Files are interleaved on it; each file's
 * requests are answered in order. Row groups in flight are bounded by bytes (`maxInFlightBytes`, default half
 * the process memory budget; worker encoders fill half-size row groups, so buffers + in flight = one budget): an encoder that would exceed it waits (backpressure = the memory budget), except when
 * nothing is in flight, so one large row group always goes through.
 *
 * If the worker dies (crash, out of memory, terminate()), every request in flight and every file opened on it fails
 * with EncoderWorkerError — the writer then aborts those files, so nothing half-encoded is committed — and the next
 * file starts a new worker. The worker only keeps the process alive while it has work.
 *
 * Entry: encoder-worker.js next to this module (the compiled package), or encoder-worker.ts under tsx/vitest
 * (started with `--import tsx`). This module is bundled into the Lambdas (formats.ts imports it) but the worker entry
 * is not: the Lambdas never set OKTA_FLOW_PARQUET_WORKER and encode in their own thread.
 */
import { Worker } from 'node:worker_threads';
import { EncoderWorkerError } from '../errors.js';
import { processMemoryBudget } from '../memory-budget.js';
import { type ColumnSnapshot, transferables } from './column-snapshot.js';
import type { FromWorker, ToWorker } from './encoder-messages.js';
import type { ParquetFileSpec } from './row-group-writer.js';

export interface EncodedRowGroup {
  readonly chunks: Uint8Array[];
  /** The row group's snapshots, back from the worker: their arrays may be reused for a later row group. */
  readonly spent: readonly ColumnSnapshot[];
}

export interface EncoderFile {
  rowGroup(snapshots: readonly ColumnSnapshot[], rows: number, bytes: number): Promise<EncodedRowGroup>;
  finish(): Promise<Uint8Array[]>;
  /** Forgets the file in the worker (after a failure); later calls fail. */
  drop(): void;
}

export interface EncoderPool {
  open(spec: ParquetFileSpec): EncoderFile;
  /** Resolves when `bytes` more may be put in flight. */
  room(bytes: number): Promise<void>;
  readonly inFlightBytes: number;
  /** Stops the worker; requests in flight fail. */
  close(): Promise<void>;
}

export interface EncoderPoolOptions {
  /** The worker's module (default: encoder-worker next to this file). */
  readonly entry?: URL;
  readonly maxInFlightBytes?: number;
  /**
   * V8 old-generation ceiling of the worker's heap, MiB (default 8 × the in-flight bound: 128 MiB under the Lambda
   * cap). Without it the worker inherits the process's `--max-old-space-size` and, allocating mostly short-lived
   * cell arrays, lets garbage pile up to it in a second heap.
   */
  readonly workerHeapMiB?: number;
}

interface Pending {
  readonly resolve: (done: EncodedRowGroup) => void;
  readonly reject: (error: Error) => void;
  readonly bytes: number;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  dead?: EncoderWorkerError;
}

/** The worker's module and its execArgv: a .ts entry (sources under tsx or vitest) needs tsx's loader. */
function located(entry: URL): { entry: URL; execArgv: string[] | undefined } {
  const needsTsx = entry.pathname.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx'));
  return { entry, execArgv: needsTsx ? [...process.execArgv, '--import', 'tsx'] : undefined };
}

function defaultEntry(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './encoder-worker.ts' : './encoder-worker.js', here);
}

export function createEncoderPool(options: EncoderPoolOptions = {}): EncoderPool {
  const entry = located(options.entry ?? defaultEntry());
  const maxInFlight = options.maxInFlightBytes ?? processMemoryBudget.totalBytes / 2;
  const heapMiB = options.workerHeapMiB ?? Math.max(64, Math.ceil((8 * maxInFlight) / 2 ** 20));
  let thread: Thread | undefined;
  let nextId = 1;
  let nextFile = 1;
  let inFlight = 0;
  const waiters: (() => void)[] = [];

  const wake = (): void => {
    // Each waiter re-queues itself if there is still no room: run only the ones queued before this wake-up.
    for (const waiter of waiters.splice(0, waiters.length)) waiter();
  };

  const start = (): Thread => {
    const worker = new Worker(entry.entry, {
      ...(entry.execArgv !== undefined ? { execArgv: entry.execArgv } : {}),
      resourceLimits: { maxOldGenerationSizeMb: heapMiB },
    });
    worker.unref();
    const t: Thread = { worker, pending: new Map() };
    const die = (cause: unknown): void => {
      if (t.dead !== undefined) return;
      const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      t.dead = new EncoderWorkerError(
        `The Parquet encoder worker stopped (${detail}); the files it was encoding are not written.`,
        { cause },
      );
      if (thread === t) thread = undefined;
      for (const p of t.pending.values()) {
        inFlight -= p.bytes;
        p.reject(t.dead);
      }
      t.pending.clear();
      wake();
    };
    worker.on('message', (message: FromWorker) => {
      const p = t.pending.get(message.id);
      if (p === undefined) return;
      t.pending.delete(message.id);
      inFlight -= p.bytes;
      if (t.pending.size === 0) worker.unref();
      wake();
      if ('error' in message) {
        p.reject(
          new EncoderWorkerError(
            `Parquet encoding failed in the worker: ${message.error.name}: ${message.error.message}`,
          ),
        );
      } else {
        p.resolve({ chunks: message.chunks, spent: message.spent ?? [] });
      }
    });
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
    return t;
  };

  const request = (t: Thread, message: ToWorker & { id: number }, bytes: number, transfer: ArrayBuffer[]) =>
    new Promise<EncodedRowGroup>((resolve, reject) => {
      if (t.dead !== undefined) {
        reject(t.dead);
        return;
      }
      t.pending.set(message.id, { resolve, reject, bytes });
      inFlight += bytes;
      t.worker.ref();
      t.worker.postMessage(message, transfer);
    });

  return {
    get inFlightBytes() {
      return inFlight;
    },
    open(spec) {
      thread ??= start();
      const t = thread;
      const file = nextFile++;
      t.worker.postMessage({ op: 'open', file, spec } satisfies ToWorker);
      return {
        rowGroup: (snapshots, rows, bytes) =>
          request(t, { op: 'rowGroup', id: nextId++, file, snapshots, rows }, bytes, transferables(snapshots)),
        finish: async () => (await request(t, { op: 'finish', id: nextId++, file }, 0, [])).chunks,
        drop: () => {
          if (t.dead === undefined) t.worker.postMessage({ op: 'drop', file } satisfies ToWorker);
        },
      };
    },
    room(bytes) {
      if (inFlight === 0 || inFlight + bytes <= maxInFlight) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (inFlight === 0 || inFlight + bytes <= maxInFlight) resolve();
          else waiters.push(check);
        };
        waiters.push(check);
      });
    },
    async close() {
      const t = thread;
      thread = undefined;
      if (t !== undefined) await t.worker.terminate();
    },
  };
}

let shared: EncoderPool | undefined;

/**
 * The process's pool when `OKTA_FLOW_PARQUET_WORKER=1` (CLI and bench opt-in), else undefined: encode in-thread.
 */
export function processEncoderPool(env: NodeJS.ProcessEnv = process.env): EncoderPool | undefined {
  if (env.OKTA_FLOW_PARQUET_WORKER !== '1') return undefined;
  shared ??= createEncoderPool();
  return shared;
}
