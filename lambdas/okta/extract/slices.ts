/**
 * Time slices for parallel scans: a range on a slice field (`created`, `last_updated`) cut into contiguous half-open
 * ranges `[from, to)`. Each slice becomes `field ≥ from and field < to` in the filter, which pushes down to
 * `search`, so slices read disjoint sets of records whose union is the sequential scan.
 */
import type { ObjectDef } from '../catalog/types.js';
import type { TimeWindow } from '../types.js';
import { instantMs, isoMs, windowColumn } from './bounds.js';
import { ExtractRequestError } from './errors.js';
import type { Slice } from './types.js';

export interface SliceOptions {
  /** Slice field (a column of `def.sliceFields`); default: the window's column when sliceable, else the first. */
  readonly field?: string;
  /** Number of slices (≥ 1). Give this or `sliceDurationMs`. */
  readonly count?: number;
  /** Length of each slice in ms; the last may be shorter. */
  readonly sliceDurationMs?: number;
  /**
   * The span to cut, e.g. the org's creation time to now. Default: the window's ends when slicing on the window's
   * column. Boundaries fall inside it; what lies outside it is still covered by the first and last slices.
   */
  readonly from?: string;
  readonly to?: string;
}

/** At most this many slices: a guard against a tiny duration over a long span. */
export const MAX_SLICES = 10_000;

/**
 * Splits a scan into slices. When the slice field is the window's column, the first slice starts at the window's
 * start and the last ends at its end (open when the window is open); on any other field the first slice is open
 * below (`field < b1`) and the last open above (`field ≥ bn`), so nothing is lost whatever the data's range.
 */
export function planSlices(def: ObjectDef, window: TimeWindow | undefined, options: SliceOptions): Slice[] {
  const field = options.field ?? (def.sliceFields.includes(windowColumn(def)) ? windowColumn(def) : def.sliceFields[0]);
  if (field === undefined || !def.sliceFields.includes(field)) {
    throw new ExtractRequestError(
      `${def.name} cannot be sliced${field === undefined ? '' : ` on "${field}"`}; slice fields: ${def.sliceFields.join(', ') || 'none'}`,
    );
  }
  const onWindow = field === windowColumn(def);
  const outerFrom = onWindow ? window?.from : undefined;
  const outerTo = onWindow ? window?.to : undefined;
  const spanFrom = options.from ?? outerFrom;
  const spanTo = options.to ?? outerTo;
  const one = (): Slice[] => [{ id: `${field}#1/1`, field, ...range(outerFrom, outerTo) }];
  if (options.count === 1) return one();
  if (spanFrom === undefined || spanTo === undefined) {
    throw new ExtractRequestError(
      `Slicing ${def.name} on ${field} needs a span: give from and to (e.g. the org's creation time and now)`,
    );
  }
  const lo = instantMs(spanFrom, 'slice span start');
  const hi = instantMs(spanTo, 'slice span end');
  if (hi <= lo) throw new ExtractRequestError(`slice span [${spanFrom}, ${spanTo}) is empty`);

  let cuts: number[];
  if (options.count !== undefined) {
    if (!Number.isInteger(options.count) || options.count < 1 || options.count > MAX_SLICES) {
      throw new ExtractRequestError(`slice count must be an integer from 1 to ${MAX_SLICES}, got ${options.count}`);
    }
    const n = options.count;
    cuts = Array.from({ length: n - 1 }, (_, k) => lo + Math.round(((k + 1) * (hi - lo)) / n));
  } else if (options.sliceDurationMs !== undefined) {
    const d = options.sliceDurationMs;
    if (!(d >= 1) || Math.ceil((hi - lo) / d) > MAX_SLICES) {
      throw new ExtractRequestError(`sliceDurationMs ${d} gives more than ${MAX_SLICES} slices (or is not ≥ 1 ms)`);
    }
    cuts = [];
    for (let t = lo + d; t < hi; t += d) cuts.push(t);
  } else {
    throw new ExtractRequestError('planSlices needs count or sliceDurationMs');
  }

  // Boundaries strictly inside the outer range, strictly increasing.
  const min = outerFrom === undefined ? Number.NEGATIVE_INFINITY : instantMs(outerFrom, 'window start');
  const max = outerTo === undefined ? Number.POSITIVE_INFINITY : instantMs(outerTo, 'window end');
  const bounds = [...new Set(cuts)].filter((t) => t > min && t < max).sort((a, b) => a - b);
  if (bounds.length === 0) return one();
  const edges: (string | undefined)[] = [outerFrom, ...bounds.map(isoMs), outerTo];
  const total = edges.length - 1;
  return Array.from({ length: total }, (_, i) => ({
    id: `${field}#${i + 1}/${total}`,
    field,
    ...range(edges[i], edges[i + 1]),
  }));
}

function range(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
