/**
 * `okta-flow unlock`: a lease is released only when its holder is provably gone (a Step Functions execution that no
 * longer runs or never existed, a local process that has exited); everything else is refused with what to do. The
 * last case goes through the real CLI against a folder's state.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultHolderCheck, thisProcess, UnlockRefusedError, unlockFlow } from '../../../bin/commands/unlock.js';
import { LocalFileStateStore } from '../../../lambdas/flow/state/local-file-state-store.js';
import { MemoryStateStore } from '../../../lambdas/flow/state/memory-state-store.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const TTL = 15 * 60_000;
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:OktaFlow-RunFlow:abc';
const dir = mkdtempSync(join(tmpdir(), 'okta-flow-unlock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sfnAnswering(status: string | Error) {
  const sfn = new SFNClient({ region: 'eu-west-1' });
  const mock = mockClient(sfn);
  if (status instanceof Error) mock.on(DescribeExecutionCommand).rejects(status);
  else mock.on(DescribeExecutionCommand).resolves({ status: status as 'RUNNING' });
  return { sfn, mock };
}

/** A pid that surely belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('unlockFlow', () => {
  it.each(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'])(
    'releases the lease of an execution that is %s',
    async (status) => {
      const state = new MemoryStateStore();
      await state.acquireLease('users-hourly', 'run-a', TTL, T0, { kind: 'stepfunctions', executionArn: EXECUTION });
      const { sfn, mock } = sfnAnswering(status);
      const outcome = await unlockFlow('users-hourly', {
        state,
        now: () => T0 + 1000,
        checkHolder: defaultHolderCheck(() => sfn),
      });
      expect(outcome).toMatchObject({ status: 'released', runId: 'run-a' });
      expect(outcome.message).toContain(`execution ${EXECUTION} is ${status}`);
      expect(mock.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXECUTION });
      expect((await state.getLease('users-hourly'))?.released).toBe(true);
      // The flow can run again at once.
      await expect(state.acquireLease('users-hourly', 'run-b', TTL, T0 + 2000)).resolves.toMatchObject({
        runId: 'run-b',
      });
    },
  );

  it('releases the lease of an execution that does not exist', async () => {
    const state = new MemoryStateStore();
    await state.acquireLease('f', 'run-a', TTL, T0, { kind: 'stepfunctions', executionArn: EXECUTION });
    const { sfn } = sfnAnswering(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    const outcome = await unlockFlow('f', { state, now: () => T0, checkHolder: defaultHolderCheck(() => sfn) });
    expect(outcome.status).toBe('released');
  });

  it('refuses while the execution runs, and leaves the lease alone', async () => {
    const state = new MemoryStateStore();
    await state.acquireLease('f', 'run-a', TTL, T0, { kind: 'stepfunctions', executionArn: EXECUTION });
    const { sfn } = sfnAnswering('RUNNING');
    const unlocking = unlockFlow('f', { state, now: () => T0, checkHolder: defaultHolderCheck(() => sfn) });
    await expect(unlocking).rejects.toBeInstanceOf(UnlockRefusedError);
    await expect(unlockFlow('f', { state, now: () => T0, checkHolder: defaultHolderCheck(() => sfn) })).rejects.toThrow(
      /still holds the lease \(execution .* is RUNNING\)\. Stop it first/,
    );
    expect(await state.getLease('f')).toMatchObject({ runId: 'run-a', released: false });
  });

  it('refuses a lease that names no holder; reports released, expired and absent leases as free', async () => {
    const state = new MemoryStateStore();
    const checkHolder = async () => ({ gone: true, detail: 'never asked' });
    await expect(unlockFlow('f', { state, now: () => T0, checkHolder })).resolves.toMatchObject({ status: 'no-lease' });
    const lease = await state.acquireLease('f', 'run-a', TTL, T0);
    await expect(unlockFlow('f', { state, now: () => T0, checkHolder })).rejects.toThrow(/cannot prove it is gone/);
    await expect(unlockFlow('f', { state, now: () => T0 + TTL, checkHolder })).resolves.toMatchObject({
      status: 'already-free',
    });
    await state.releaseLease(lease, T0 + 1);
    await expect(unlockFlow('f', { state, now: () => T0 + 2, checkHolder })).resolves.toMatchObject({
      status: 'already-free',
    });
  });

  it('local processes: a live one (this one) or one on another host is refused; an exited one is released', async () => {
    const state = new MemoryStateStore();
    const check = defaultHolderCheck(() => {
      throw new Error('no Step Functions for a process holder');
    });
    await state.acquireLease('alive', 'run-a', TTL, T0, thisProcess());
    await expect(unlockFlow('alive', { state, now: () => T0, checkHolder: check })).rejects.toThrow(
      /on this host is running/,
    );
    await state.acquireLease('remote', 'run-a', TTL, T0, { kind: 'process', host: 'some-other-host', pid: 4242 });
    await expect(unlockFlow('remote', { state, now: () => T0, checkHolder: check })).rejects.toThrow(/not this host/);
    await state.acquireLease('dead', 'run-a', TTL, T0, { ...thisProcess(), pid: deadPid() });
    await expect(unlockFlow('dead', { state, now: () => T0, checkHolder: check })).resolves.toMatchObject({
      status: 'released',
    });
  });
});

describe('okta-flow unlock (CLI)', () => {
  it('releases a folder state lease left by a local run whose process died; exits 1 when refusing', async () => {
    const state = new LocalFileStateStore({ dir });
    const now = Date.now();
    await state.acquireLease('groups-daily', 'run-crashed', TTL, now, { ...thisProcess(), pid: deadPid() });
    await state.acquireLease('users-hourly', 'run-live', TTL, now, thisProcess());
    const cli = (flow: string) =>
      spawnSync(
        join(process.cwd(), 'node_modules', '.bin', 'tsx'),
        ['bin/okta-flow.ts', 'unlock', flow, '--state', dir],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const released = cli('groups-daily');
    expect(released.stderr).toBe('');
    expect(released.status).toBe(0);
    expect(released.stdout).toContain('released the lease of run run-crashed');
    expect((await state.getLease('groups-daily'))?.released).toBe(true);
    const refused = cli('users-hourly');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('still holds the lease');
  });
});
