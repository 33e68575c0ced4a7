/**
 * Where state lives, relative to the store's root (S3: `<prefix>/_state/`, beside the data it describes):
 *   flows/<flow>/state.json                              watermark, last run, last snapshot
 *   flows/<flow>/lease.json                              which run may commit
 *   flows/<flow>/runs/<runId>/checkpoints/<slice>.json   extract continuations
 *   schemas/<Object>/<sha256>.json                       a plan-time resolved schema (content-addressed)
 *   lake/<Object>/columns.json                           the columns every committed run of an object wrote
 * (Snapshot id lists live beside them, under `<prefix>/_state/snapshots/`, written through the output target.)
 *   flows/<flow>/runs/<runId>/<name>.json                run documents: the task list, finished tasks' results
 */
import { InvalidStateKeyError } from './errors.js';
import type { CheckpointRef, RunDocumentRef } from './flow-state.js';

const SAFE = /^[A-Za-z0-9._=-]{1,128}$/;

function part(what: string, value: string): string {
  if (!SAFE.test(value) || value === '.' || value === '..') throw new InvalidStateKeyError(what, value);
  return value;
}

export function flowStateKey(flow: string): string {
  return `flows/${part('Flow name', flow)}/state.json`;
}

export function leaseKey(flow: string): string {
  return `flows/${part('Flow name', flow)}/lease.json`;
}

export function checkpointKey(ref: CheckpointRef): string {
  return `flows/${part('Flow name', ref.flow)}/runs/${part('Run id', ref.runId)}/checkpoints/${part('Slice', ref.slice)}.json`;
}

/** A plan-time resolved schema, addressed by the SHA-256 of its content: unchanged schemas share one object. */
export function resolvedSchemaKey(object: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new InvalidStateKeyError('Schema hash', sha256);
  return `schemas/${part('Object', object)}/${sha256}.json`;
}

/** The columns of an object's lake tables (the union over its committed runs). */
export function lakeColumnsKey(object: string): string {
  return `lake/${part('Object', object)}/columns.json`;
}

/** Keys of documents (`putDocument`/`getDocument`): only those built by the functions above. */
export function isDocumentKey(key: string): boolean {
  return (
    /^schemas\/[A-Za-z0-9._=-]{1,128}\/[0-9a-f]{64}\.json$/.test(key) ||
    /^lake\/[A-Za-z0-9._=-]{1,128}\/columns\.json$/.test(key)
  );
}

export function runDocumentKey(ref: RunDocumentRef): string {
  return `flows/${part('Flow name', ref.flow)}/runs/${part('Run id', ref.runId)}/${part('Run document', ref.name)}.json`;
}
