/** Deterministic object keys of the output layout (DESIGN.md): re-running a run id overwrites, never duplicates. */
import { OutputConfigError } from './errors.js';

/** Per-run manifest file of okta-flow versions before the commit log (lambdas/lake/commit-log.ts); never written. */
export const LEGACY_MANIFEST_NAME = '_manifest.json';
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DT = /^\d{4}-\d{2}-\d{2}$/;

/** `<prefix>/<object>/dt=YYYY-MM-DD/run_id=<runId>` (no trailing slash; an empty prefix is allowed). */
export function runKeyPrefix(input: { prefix: string; object: string; dt: string | Date; runId: string }): string {
  const dt = typeof input.dt === 'string' ? input.dt : input.dt.toISOString().slice(0, 10);
  if (!DT.test(dt)) throw new OutputConfigError(`dt must be YYYY-MM-DD, got "${dt}"`);
  if (!RUN_ID.test(input.runId)) {
    throw new OutputConfigError(`run id "${input.runId}" must be 1–128 characters of A-Z a-z 0-9 . _ -`);
  }
  const prefix = input.prefix.replace(/^\/+|\/+$/g, '');
  return [prefix, input.object, `dt=${dt}`, `run_id=${input.runId}`].filter((s) => s !== '').join('/');
}

const PART_LABEL = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** `<keyPrefix>/part-00000.<ext>`, or `<keyPrefix>/part-<label>-00000.<ext>` for one of several parallel writers. */
export function partKey(keyPrefix: string, partIndex: number, extension: string, label?: string): string {
  if (label !== undefined && !PART_LABEL.test(label)) {
    throw new OutputConfigError(`part label "${label}" must be 1–32 of a-z 0-9 - (starting with a letter or digit)`);
  }
  if (!Number.isInteger(partIndex) || partIndex < 0) throw new OutputConfigError(`bad part index ${partIndex}`);
  const name = label === undefined ? 'part' : `part-${label}`;
  return `${keyPrefix}/${name}-${String(partIndex).padStart(5, '0')}.${extension}`;
}

/** Matches data part keys directly under a run prefix; used to find stale parts of an earlier attempt. */
export const PART_NAME = /^part-([a-z0-9][a-z0-9-]*-)?\d{5,}\.[a-z.]+$/;
