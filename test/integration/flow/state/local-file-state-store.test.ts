import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileStateStore, LockTimeoutError } from '../../../../lambdas/flow/state/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('LocalFileStateStore', () => {
  it('writes state under <dir>/_state/ and leaves no lock or temporary files behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-state-'));
    const store = new LocalFileStateStore({ dir });
    await Promise.allSettled(['a', 'b', 'c'].map((run) => store.acquireLease('users-hourly', run, 60_000, T0)));
    await store.putFlowState('users-hourly', { schemaVersion: 1, flow: 'users-hourly', watermark: null }, null);
    expect(tree(dir)).toEqual(['_state/flows/users-hourly/lease.json', '_state/flows/users-hourly/state.json']);
  });

  it('removes a lock left by a crashed process once it is stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-state-'));
    mkdirSync(join(dir, '_state/flows/f'), { recursive: true });
    const lock = join(dir, '_state/flows/f/state.json.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const store = new LocalFileStateStore({ dir, staleLockMs: 30_000 });
    await store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: null }, null);
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up on a live lock after the timeout, naming the lock file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-state-'));
    mkdirSync(join(dir, '_state/flows/f'), { recursive: true });
    const lock = join(dir, '_state/flows/f/state.json.lock');
    writeFileSync(lock, '');
    const store = new LocalFileStateStore({ dir, lockTimeoutMs: 30 });
    const attempt = store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: null }, null);
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toThrow(`Could not lock ${lock} within 30 ms`);
  });
});
