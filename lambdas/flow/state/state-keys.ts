/**
 * Where state lives, relative to the store's root (S3: `<prefix>/_state/`, beside the data it describes):
 *   flows/<flow>/state.json                              watermark, last run, last snapshot
 *   flows/<flow>/lease.json                              which run may commit
 *   flows/<flow>/runs/<runId>/checkpoints/<slice>.json   extract continuations
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

export function runDocumentKey(ref: RunDocumentRef): string {
  return `flows/${part('Flow name', ref.flow)}/runs/${part('Run id', ref.runId)}/${part('Run document', ref.name)}.json`;
}
