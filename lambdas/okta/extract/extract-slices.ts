/**
 * Scans several slices of one object at once with bounded concurrency, yielding pages as they arrive. All slices
 * share the caller's one client, hence its one rate-limit governor: concurrency here only decides how many scans
 * are open, the governor decides how fast requests go. Each open slice has at most one page in flight and none
 * buffered, so memory stays at `concurrency` pages.
 */
import { setMaxListeners } from 'node:events';
import type { ObjectDef } from '../catalog/types.js';
import { ExtractRequestError } from './errors.js';
import { extract } from './extract.js';
import type { Continuation, ExtractDeps, ExtractPage, ExtractRequest, Slice } from './types.js';

export interface ExtractSlicesOptions {
  /** Slices scanned at once (default 4). */
  readonly concurrency?: number;
  /** Per slice id: where to resume (a continuation), or null when that slice already finished. */
  readonly resume?: Readonly<Record<string, Continuation | null>>;
}

export interface SlicePage extends ExtractPage {
  readonly slice: Slice;
}

type Step = { readonly index: number; readonly result: IteratorResult<ExtractPage, void> };

export async function* extractSlices(
  def: ObjectDef,
  request: Omit<ExtractRequest, 'slice' | 'resumeFrom'>,
  slices: readonly Slice[],
  deps: ExtractDeps,
  options: ExtractSlicesOptions = {},
): AsyncGenerator<SlicePage, void, undefined> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ExtractRequestError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const ids = new Set(slices.map((s) => s.id));
  if (ids.size !== slices.length) throw new ExtractRequestError('slice ids must be unique');

  // One failing slice stops the others: their in-flight requests are aborted.
  const stop = new AbortController();
  const signal = deps.signal === undefined ? stop.signal : AbortSignal.any([deps.signal, stop.signal]);
  // Every open slice's requests listen on this one signal: more than Node's default of 10 is expected, not a leak.
  setMaxListeners(0, signal);
  const sliceDeps: ExtractDeps = { ...deps, signal };

  const todo = slices.filter((s) => options.resume?.[s.id] !== null);
  const open = new Map<number, { slice: Slice; gen: AsyncGenerator<ExtractPage, void, undefined> }>();
  const pending = new Map<number, Promise<Step>>();
  let nextSlice = 0;

  const pull = (index: number) => {
    const entry = open.get(index);
    if (entry === undefined) return;
    const step = entry.gen.next().then((result) => ({ index, result }));
    // Raced later; marked handled now so a failure while the consumer holds a page is not "unhandled".
    step.catch(() => {});
    pending.set(index, step);
  };
  const openMore = () => {
    while (open.size < concurrency && nextSlice < todo.length) {
      const index = nextSlice++;
      const slice = todo[index] as Slice;
      const resumeFrom = options.resume?.[slice.id];
      const gen = extract(def, { ...request, slice, resumeFrom: resumeFrom ?? null }, sliceDeps);
      open.set(index, { slice, gen });
      pull(index);
    }
  };

  try {
    openMore();
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      pending.delete(index);
      const entry = open.get(index);
      if (entry === undefined) continue;
      if (result.done === true) {
        open.delete(index);
        openMore();
        continue;
      }
      yield { ...result.value, slice: entry.slice };
      pull(index);
    }
  } finally {
    stop.abort(new Error('extractSlices stopped'));
    // Let aborted scans settle, then close them; their errors after a stop are not the caller's concern.
    await Promise.allSettled(pending.values());
    await Promise.allSettled([...open.values()].map((e) => e.gen.return(undefined)));
  }
}
