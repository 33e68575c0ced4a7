/** Shared set-up for runner integration tests: a frozen-clock sandbox, a JSONL local target, memory state. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localRunnerDeps } from '../../../../bin/commands/runner-deps.js';
import { parseConfig } from '../../../../lambdas/flow/config/parse-config.js';
import type { Config } from '../../../../lambdas/flow/config/schema.js';
import { memoryRunLogger } from '../../../../lambdas/flow/observability/logger.js';
import { commitRun } from '../../../../lambdas/flow/runner/commit-run.js';
import { planRun } from '../../../../lambdas/flow/runner/plan-run.js';
import { runExtractTask } from '../../../../lambdas/flow/runner/run-extract-task.js';
import { SimulatedCrash } from '../../../../lambdas/flow/runner/run-flow.js';
import type { ExtractStepResult, RunnerDeps, TaskContinuation } from '../../../../lambdas/flow/runner/types.js';
import { MemoryStateStore } from '../../../../lambdas/flow/state/memory-state-store.js';
import { listCommits } from '../../../../lambdas/lake/commit-log.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import type { RunManifest } from '../../../../lambdas/output/manifest.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';

export const DAY = 86_400_000;

export function testConfig(flows: unknown[], output: Record<string, unknown> = {}): Config {
  return parseConfig({
    okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/test' },
    output: { bucket: { name: 'test-bucket' }, prefix: 'okta', format: 'jsonl', compression: 'none', ...output },
    flows,
  });
}

export async function frozenSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    users: 300,
    rateLimits: false,
    clock: { startMs: DEFAULT_EPOCH_MS + DAY, running: false },
    ...options,
  });
}

export interface Harness {
  readonly dir: string;
  readonly state: MemoryStateStore;
  deps(overrides?: Partial<RunnerDeps>): ReturnType<typeof localRunnerDeps> & RunnerDeps;
  cleanup(): void;
}

export function harness(sandbox: Sandbox, config: Config): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-runner-'));
  const state = new MemoryStateStore();
  return {
    dir,
    state,
    deps(overrides = {}) {
      const base = localRunnerDeps({
        config,
        okta: { kind: 'sandbox', baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken },
        out: {
          target: { kind: 'local', rootDir: dir },
          state,
          where: dir,
          prefix: undefined,
          locate: (key) => join(dir, key),
        },
        clock: () => sandbox.clock.now(),
        logger: memoryRunLogger(),
      });
      return Object.assign(base, overrides);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Every committed run of an object (runs with a commit record), with the records of its files; `<Object>_deletes`
 * gives the tombstone file sets of the object's commits.
 */
export async function committedRuns(
  dir: string,
  object: string,
): Promise<{ runId: string; manifest: RunManifest; records: OktaRecord[] }[]> {
  const target = { kind: 'local' as const, rootDir: dir };
  const deletes = object.endsWith('_deletes');
  const out = [];
  for (const commit of await listCommits(target, 'okta', object.replace(/_deletes$/, ''))) {
    const manifest = deletes ? commit.deletes?.manifest : commit.records.manifest;
    if (manifest === undefined) continue;
    const records: OktaRecord[] = [];
    for (const file of manifest.files) {
      const text = readFileSync(join(dir, file.key), 'utf8');
      for (const line of text.split('\n')) if (line.trim() !== '') records.push(JSON.parse(line) as OktaRecord);
    }
    out.push({ runId: commit.run_id, manifest, records });
  }
  return out.sort((a, b) => (a.runId < b.runId ? -1 : 1));
}

/** Ground truth: live sandbox users with lastUpdated in [from, to). */
export function usersInWindow(sandbox: Sandbox, window: { from?: string; to: string }): Map<string, string> {
  const out = new Map<string, string>();
  const from = window.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(window.from);
  const to = Date.parse(window.to);
  for (const user of sandbox.org.all('users')) {
    const t = Date.parse(String(user.lastUpdated));
    if (t >= from && t < to) out.set(String(user.id), String(user.lastUpdated));
  }
  return out;
}

export function idsOf(records: readonly OktaRecord[]): string[] {
  return records.map((r) => String(r.id)).sort();
}

/**
 * Drives one run's steps like the state machine does: plan, every task's extract invocations (each a tiny budget,
 * so every invocation reads one page and crashes land between invocations too), commit. A step that throws a
 * SimulatedCrash is retried once with the same input and `retryDeps` (the crash hook removed).
 */
export async function runStepsRetryingCrashes(
  flow: string,
  runId: string,
  deps: RunnerDeps,
  retryDeps: RunnerDeps,
): Promise<void> {
  const retry = async <T>(call: (d: RunnerDeps) => Promise<T>): Promise<T> => {
    try {
      return await call(deps);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      return call(retryDeps);
    }
  };
  const { run, tasks } = await retry((d) => planRun(flow, { kind: 'manual', runId }, d));
  const results: ExtractStepResult[] = [];
  for (const task of tasks) {
    let result: ExtractStepResult | null = null;
    while (result === null || !result.done) {
      const continuation: TaskContinuation | null = result?.continuation ?? null;
      result = await retry(
        (d): Promise<ExtractStepResult> => runExtractTask({ run, task, continuation, deadline: d.clock() }, d),
      );
    }
    results.push(result);
  }
  await retry((d) => commitRun({ run, results }, d));
}
