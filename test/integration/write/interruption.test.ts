/**
 * Interrupted executions leave an audit that says exactly what was done: an injected 500 on one write (outcome
 * unknown, the rest not attempted), and the CLI process killed (SIGKILL) while a write is in flight (that row's
 * intent without an outcome). Running the plan again re-reads the org and finishes it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryApplyEvents } from '../../../lambdas/write/apply-events.js';
import { applyPlan } from '../../../lambdas/write/apply-plan.js';
import { parseAudit } from '../../../lambdas/write/audit.js';
import { jsonl, type Rec, startWriteHarness, type WriteHarness } from './harness.js';

let h: WriteHarness;
let active: Rec[];
const id = (u: Rec | undefined) => String(u?.id);
const status = async (u: Rec | undefined) => (await h.get<Rec>(`/api/v1/users/${id(u)}`)).status;
const LIFECYCLE = '/api/v1/users/{id}/lifecycle/{action}';

beforeAll(async () => {
  h = await startWriteHarness({ clock: { running: true } });
  active = ([...h.sandbox.org.all('users')] as Rec[]).filter((u) => u.status === 'ACTIVE').slice(1);
});
afterAll(() => h?.close());

const audits = (runId: string) => {
  const base = join(h.dir, 'apply');
  for (const hash of existsSync(base) ? readdirSync(base) : []) {
    const file = join(base, hash, runId, 'audit.jsonl');
    if (existsSync(file)) return parseAudit(readFileSync(file, 'utf8'));
  }
  return [];
};

describe('apply interrupted', () => {
  it('a 500 on the second write: row 2 unknown, rows 3-4 not attempted; the next run finishes the plan', async () => {
    const targets = active.slice(0, 4);
    const plan = jsonl(targets.map((u) => ({ action: 'suspend-user', user: id(u) })));
    const rule = h.sandbox.faults.add({
      route: LIFECYCLE,
      method: 'POST',
      nth: 2,
      fault: { kind: 'status', status: 500 },
    });
    const run = (runId: string) =>
      applyPlan({
        plan: { text: plan, format: 'jsonl' },
        execute: true,
        api: h.api,
        store: h.store,
        events: new MemoryApplyEvents(),
        runId,
      });
    const first = await run('fault-1');
    h.sandbox.faults.clear(rule);
    expect(first.execution?.results.map((r) => [r.row, r.result])).toEqual([
      [1, 'succeeded'],
      [2, 'unknown'],
    ]);
    expect(first.execution?.results[1]?.error).toContain('Okta may have applied it');
    expect(first.execution?.notAttempted).toEqual([3, 4]);
    expect(audits('fault-1').map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual([
      '1 intent pending',
      '1 outcome succeeded',
      '2 intent pending',
      '2 outcome unknown',
    ]);
    expect(await Promise.all(targets.map(status))).toEqual(['SUSPENDED', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    const second = await run('fault-2');
    expect(second.resolution.rows.map((r) => r.outcome)).toEqual([
      'already-so',
      'will-change',
      'will-change',
      'will-change',
    ]);
    expect(second.execution?.results.map((r) => r.result)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await Promise.all(targets.map(status))).toEqual(['SUSPENDED', 'SUSPENDED', 'SUSPENDED', 'SUSPENDED']);
  });

  it('the same run id executed again (a retried Lambda): the audit and the first resolution are kept, not replaced', async () => {
    const targets = active.slice(4, 8);
    const plan = jsonl(targets.map((u) => ({ action: 'suspend-user', user: id(u) })));
    const rule = h.sandbox.faults.add({
      route: LIFECYCLE,
      method: 'POST',
      nth: 2,
      fault: { kind: 'status', status: 500 },
    });
    const run = () =>
      applyPlan({
        plan: { text: plan, format: 'jsonl' },
        execute: true,
        api: h.api,
        store: h.store,
        events: new MemoryApplyEvents(),
        runId: 'retried-1',
      });
    const first = await run();
    h.sandbox.faults.clear(rule);
    const again = await run();
    expect(again.execution?.results.map((r) => [r.row, r.result])).toEqual([
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'succeeded'],
    ]);
    // One audit: the first attempt's four records, then the second's six.
    expect(audits('retried-1').map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual([
      '1 intent pending',
      '1 outcome succeeded',
      '2 intent pending',
      '2 outcome unknown',
      '2 intent pending',
      '2 outcome succeeded',
      '3 intent pending',
      '3 outcome succeeded',
      '4 intent pending',
      '4 outcome succeeded',
    ]);
    // Each resolution under its own name: what the first attempt saw, and what the second did.
    expect(first.resolutionLocation).toMatch(/\/retried-1\/resolution\.json$/);
    expect(again.resolutionLocation).toMatch(/\/retried-1\/resolution\.2\.json$/);
    const outcomes = (file: string) =>
      (JSON.parse(readFileSync(join(h.dir, file), 'utf8')) as { rows: { outcome: string }[] }).rows.map(
        (r) => r.outcome,
      );
    expect(outcomes(first.resolutionLocation)).toEqual(['will-change', 'will-change', 'will-change', 'will-change']);
    expect(outcomes(again.resolutionLocation)).toEqual(['already-so', 'will-change', 'will-change', 'will-change']);
  });

  it('the CLI killed with SIGKILL mid-write: the audit holds rows 1-2 done and row 3 attempted, nothing more', async () => {
    const targets = active.slice(10, 14);
    const planFile = join(h.dir, 'kill-plan.jsonl');
    writeFileSync(planFile, jsonl(targets.map((u) => ({ action: 'expire-password', user: id(u) }))));
    const secretFile = join(h.dir, 'secret.json');
    writeFileSync(secretFile, JSON.stringify({ type: 'apiToken', apiToken: h.sandbox.apiToken }));
    // The third write hangs (the server holds it) until the process is gone.
    h.sandbox.faults.add({ route: LIFECYCLE, method: 'POST', nth: 3, fault: { kind: 'latency', ms: 60_000 } });
    const out = join(h.dir, 'kill-out');
    // One process (node with tsx's loader, not the tsx wrapper that forks), so SIGKILL kills the writer itself.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(process.cwd(), 'bin', 'okta-flow.ts'),
        'apply',
        planFile,
        '--execute',
        '--sandbox-url',
        h.sandbox.baseUrl,
        '--secret-file',
        secretFile,
        '--out',
        out,
      ],
      { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const auditFile = () => {
      const base = join(out, 'apply');
      if (!existsSync(base)) return undefined;
      for (const hash of readdirSync(base)) {
        for (const run of readdirSync(join(base, hash))) {
          const file = join(base, hash, run, 'audit.jsonl');
          if (existsSync(file)) return file;
        }
      }
      return undefined;
    };
    const deadline = Date.now() + 90_000;
    let lines: ReturnType<typeof parseAudit> = [];
    while (Date.now() < deadline) {
      const file = auditFile();
      lines = file ? parseAudit(readFileSync(file, 'utf8')) : [];
      if (lines.length >= 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const file = auditFile();
    lines = file ? parseAudit(readFileSync(file, 'utf8')) : [];
    expect(lines.map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual([
      '1 intent pending',
      '1 outcome succeeded',
      '2 intent pending',
      '2 outcome succeeded',
      '3 intent pending',
    ]);
    expect(lines[4]?.target.user?.id).toBe(id(targets[2]));
    const [s1, s2, , s4] = await Promise.all(targets.map(status));
    expect([s1, s2, s4]).toEqual(['PASSWORD_EXPIRED', 'PASSWORD_EXPIRED', 'ACTIVE']);
  }, 120_000);
});
