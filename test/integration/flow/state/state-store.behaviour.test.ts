/**
 * One behavioural suite, run against every StateStore implementation with the same expectations: the memory store,
 * S3 (a stateful fake honouring If-Match / If-None-Match, with and without 409 conflicts) and local files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  type FlowState,
  InvalidStateKeyError,
  initialFlowState,
  LeaseHeldError,
  LeaseLostError,
  LocalFileBlobStore,
  LocalFileStateStore,
  lakeColumnsKey,
  MemoryStateStore,
  resolvedSchemaKey,
  S3BlobStore,
  S3StateStore,
  StateCorruptError,
  type StateStore,
  type VersionedBlobStore,
} from '../../../../lambdas/flow/state/index.js';
import { fakeS3 } from './fake-s3.js';

interface Subject {
  store: StateStore;
  blobs: VersionedBlobStore;
}

const implementations: [string, () => Subject][] = [
  [
    'MemoryStateStore',
    () => {
      const store = new MemoryStateStore();
      return { store, blobs: store.memory };
    },
  ],
  [
    'S3StateStore',
    () => {
      const store = new S3StateStore({ client: fakeS3().client, bucket: 'b', prefix: 'okta' });
      return { store, blobs: store.s3 };
    },
  ],
  [
    'S3StateStore (409 on overlapping conditional writes)',
    () => {
      const options = { client: fakeS3({ conflictOnOverlap: true }).client, bucket: 'b', prefix: 'okta' };
      return { store: new S3StateStore(options), blobs: new S3BlobStore(options) };
    },
  ],
  [
    'LocalFileStateStore',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'okta-flow-state-'));
      return { store: new LocalFileStateStore({ dir }), blobs: new LocalFileBlobStore({ dir }) };
    },
  ],
];

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const TTL = 60_000;

const state = (watermark: string | null): FlowState => ({ ...initialFlowState('users-hourly'), watermark });

describe.each(implementations)('%s', (_name, make) => {
  describe('flow state', () => {
    it('is absent at first, then reads back what was written, with a new version per write', async () => {
      const { store } = make();
      expect(await store.getFlowState('users-hourly')).toBeNull();
      const v1 = await store.putFlowState('users-hourly', state('2026-01-01T00:00:00.000Z'), null);
      expect(await store.getFlowState('users-hourly')).toEqual({
        state: state('2026-01-01T00:00:00.000Z'),
        version: v1,
      });
      const v2 = await store.putFlowState('users-hourly', state('2026-01-01T01:00:00.000Z'), v1);
      expect(v2).not.toBe(v1);
      expect((await store.getFlowState('users-hourly'))?.state.watermark).toBe('2026-01-01T01:00:00.000Z');
    });

    it('refuses a stale-version put, and a create when the state exists', async () => {
      const { store } = make();
      const v1 = await store.putFlowState('users-hourly', state('2026-01-01T00:00:00.000Z'), null);
      await store.putFlowState('users-hourly', state('2026-01-01T01:00:00.000Z'), v1);
      await expect(store.putFlowState('users-hourly', state('2026-01-01T02:00:00.000Z'), v1)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(store.putFlowState('users-hourly', state('2026-01-01T02:00:00.000Z'), null)).rejects.toThrow(
        /changed since it was read/,
      );
      expect((await store.getFlowState('users-hourly'))?.state.watermark).toBe('2026-01-01T01:00:00.000Z');
    });

    it('lets exactly one of two concurrent commits from the same version win', async () => {
      const { store } = make();
      const v1 = await store.putFlowState('users-hourly', state(null), null);
      const results = await Promise.allSettled([
        store.putFlowState('users-hourly', state('2026-01-01T01:00:00.000Z'), v1),
        store.putFlowState('users-hourly', state('2026-01-01T02:00:00.000Z'), v1),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
    });

    it('reports a corrupt state object instead of trusting it', async () => {
      const { store, blobs } = make();
      await blobs.put('flows/users-hourly/state.json', '{"watermark": 12', { ifNoneMatch: '*' });
      await expect(store.getFlowState('users-hourly')).rejects.toBeInstanceOf(StateCorruptError);
    });

    it('rejects names that cannot be part of a key', async () => {
      const { store } = make();
      await expect(store.getFlowState('../etc')).rejects.toBeInstanceOf(InvalidStateKeyError);
    });
  });

  describe('leases', () => {
    it('two acquirers: exactly one wins, the other is told who holds it, since and until when', async () => {
      const { store } = make();
      const results = await Promise.allSettled([
        store.acquireLease('users-hourly', 'run-a', TTL, T0),
        store.acquireLease('users-hourly', 'run-b', TTL, T0),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const winner = won[0]?.status === 'fulfilled' ? won[0].value.runId : '';
      const lost = results.find((r) => r.status === 'rejected');
      const reason = lost?.status === 'rejected' ? lost.reason : undefined;
      expect(reason).toBeInstanceOf(LeaseHeldError);
      expect((reason as LeaseHeldError).message).toBe(
        `Flow "users-hourly" is already running: run ${winner} holds its lease since 2026-01-01T00:00:00.000Z until ` +
          '2026-01-01T00:01:00.000Z. Wait for that run to finish (its lease is renewed while it works), or stop it; ' +
          'if it crashed, its lease expires at 2026-01-01T00:01:00.000Z and the next run takes over. Two runs of one ' +
          'flow never both commit.',
      );
    });

    it('five concurrent acquirers: exactly one wins', async () => {
      const { store } = make();
      const results = await Promise.allSettled(
        ['r1', 'r2', 'r3', 'r4', 'r5'].map((runId) => store.acquireLease('users-hourly', runId, TTL, T0)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect(r.status === 'rejected' && r.reason).toBeInstanceOf(LeaseHeldError);
      }
    });

    it('a held lease blocks until it expires, then can be taken over; the old holder has lost it', async () => {
      const { store } = make();
      const a = await store.acquireLease('users-hourly', 'run-a', TTL, T0);
      await expect(store.acquireLease('users-hourly', 'run-b', TTL, T0 + TTL - 1)).rejects.toBeInstanceOf(
        LeaseHeldError,
      );
      const b = await store.acquireLease('users-hourly', 'run-b', TTL, T0 + TTL);
      expect(b).toMatchObject({
        runId: 'run-b',
        acquiredAt: '2026-01-01T00:01:00.000Z',
        expiresAt: '2026-01-01T00:02:00.000Z',
      });
      await expect(store.renewLease(a, TTL, T0 + TTL + 1)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.renewLease(a, TTL, T0 + TTL + 1)).rejects.toThrow(/run run-b holds it since/);
      expect(await store.releaseLease(a, T0 + TTL + 2)).toBe(false);
      expect((await store.getLease('users-hourly'))?.runId).toBe('run-b');
    });

    it('renewing extends the lease; the same run may re-acquire (a retried step) and keeps its start', async () => {
      const { store } = make();
      const a = await store.acquireLease('users-hourly', 'run-a', TTL, T0);
      const renewed = await store.renewLease(a, TTL, T0 + 50_000);
      expect(renewed.expiresAt).toBe('2026-01-01T00:01:50.000Z');
      await expect(store.acquireLease('users-hourly', 'run-b', TTL, T0 + 70_000)).rejects.toBeInstanceOf(
        LeaseHeldError,
      );
      const again = await store.acquireLease('users-hourly', 'run-a', TTL, T0 + 80_000);
      expect(again).toMatchObject({ runId: 'run-a', acquiredAt: '2026-01-01T00:00:00.000Z' });
      await expect(store.renewLease(renewed, TTL, T0 + 90_000)).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('a released lease is free at once', async () => {
      const { store } = make();
      const a = await store.acquireLease('users-hourly', 'run-a', TTL, T0);
      expect(await store.releaseLease(a, T0 + 1000)).toBe(true);
      expect(await store.getLease('users-hourly')).toMatchObject({ runId: 'run-a', released: true });
      const b = await store.acquireLease('users-hourly', 'run-b', TTL, T0 + 1001);
      expect(b.runId).toBe('run-b');
    });

    it('leases of different flows are independent', async () => {
      const { store } = make();
      await store.acquireLease('users-hourly', 'run-a', TTL, T0);
      await expect(store.acquireLease('groups-daily', 'run-b', TTL, T0)).resolves.toMatchObject({
        flow: 'groups-daily',
      });
    });

    it('records who holds the lease, and keeps it through renewals, re-acquisition and release', async () => {
      const { store } = make();
      const holder = {
        kind: 'stepfunctions' as const,
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:OktaFlow-RunFlow:exec-1',
      };
      const a = await store.acquireLease('users-hourly', 'run-a', TTL, T0, holder);
      expect(a.holder).toEqual(holder);
      const renewed = await store.renewLease(a, TTL, T0 + 1000);
      expect((await store.getLease('users-hourly'))?.holder).toEqual(holder);
      // A retried PlanRun re-acquires without saying who it is: the holder stays.
      const again = await store.acquireLease('users-hourly', 'run-a', TTL, T0 + 2000);
      expect(again.holder).toEqual(holder);
      expect(await store.releaseLease(again, T0 + 3000)).toBe(true);
      expect(await store.getLease('users-hourly')).toMatchObject({ released: true, holder });
      await expect(store.renewLease(renewed, TTL, T0 + 4000)).rejects.toBeInstanceOf(LeaseLostError);
      const b = await store.acquireLease('users-hourly', 'run-b', TTL, T0 + 5000);
      expect(b.holder).toBeUndefined();
    });

    it('rejects a non-positive TTL', async () => {
      const { store } = make();
      await expect(store.acquireLease('users-hourly', 'run-a', 0, T0)).rejects.toThrow(/Lease TTL must be a positive/);
    });
  });

  describe('checkpoints', () => {
    const ref = { flow: 'users-hourly', runId: 'run-a', slice: 'User.slice-01' };

    it('round-trips, refuses stale versions, keeps slices apart, and deletes', async () => {
      const { store } = make();
      expect(await store.getCheckpoint(ref)).toBeNull();
      const v1 = await store.putCheckpoint(
        ref,
        { nextUrl: 'https://acme.okta.com/api/v1/users?after=1', records: 200 },
        null,
      );
      const v2 = await store.putCheckpoint(
        ref,
        { nextUrl: 'https://acme.okta.com/api/v1/users?after=2', records: 400 },
        v1,
      );
      await expect(store.putCheckpoint(ref, { records: 0 }, v1)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.getCheckpoint(ref)).toEqual({
        checkpoint: { nextUrl: 'https://acme.okta.com/api/v1/users?after=2', records: 400 },
        version: v2,
      });
      expect(await store.getCheckpoint({ ...ref, slice: 'User.slice-02' })).toBeNull();
      await store.deleteCheckpoint(ref);
      expect(await store.getCheckpoint(ref)).toBeNull();
    });
  });

  describe('documents', () => {
    it('round-trip at the keys state-keys builds, with compare-and-swap writes; other keys are refused', async () => {
      const { store } = make();
      const key = lakeColumnsKey('User');
      expect(await store.getDocument(key)).toBeNull();
      const v1 = await store.putDocument(key, '{"v":1}', null);
      await expect(store.putDocument(key, '{"v":2}', null)).rejects.toBeInstanceOf(ConflictError);
      const v2 = await store.putDocument(key, '{"v":2}', v1);
      await expect(store.putDocument(key, '{"v":3}', v1)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.getDocument(key)).toEqual({ body: '{"v":2}', version: v2 });
      const schema = resolvedSchemaKey('User', 'a'.repeat(64));
      await store.putDocument(schema, '{}', null);
      expect((await store.getDocument(schema))?.body).toBe('{}');
      await expect(store.putDocument('flows/x/state.json', '{}', null)).rejects.toBeInstanceOf(InvalidStateKeyError);
      expect(() => resolvedSchemaKey('User', 'not-a-hash')).toThrow(InvalidStateKeyError);
    });
  });

  describe('run documents', () => {
    const ref = { flow: 'users-hourly', runId: 'run-a', name: 'tasks' };

    it('round-trip, overwrite (a retried step), stay apart per name and run, and delete', async () => {
      const { store } = make();
      expect(await store.getRunDocument(ref)).toBeNull();
      await store.putRunDocument(ref, { v: 1, tasks: ['t00'] });
      await store.putRunDocument(ref, { v: 1, tasks: ['t00', 't01'] });
      expect(await store.getRunDocument(ref)).toEqual({ v: 1, tasks: ['t00', 't01'] });
      expect(await store.getRunDocument({ ...ref, name: 'result.t00' })).toBeNull();
      expect(await store.getRunDocument({ ...ref, runId: 'run-b' })).toBeNull();
      await store.deleteRunDocument(ref);
      expect(await store.getRunDocument(ref)).toBeNull();
      await expect(store.getRunDocument({ ...ref, name: '../lease' })).rejects.toThrow(InvalidStateKeyError);
    });
  });
});
