/**
 * `okta-flow run <flow>`: the runner in-process, against the configured org or the bundled sandbox (`--sandbox`),
 * into a folder or s3://bucket/prefix, with progress bars and a summary table. The state (watermark, lease) lives
 * beside the output, so repeated runs into the same --out are incremental exactly as in the cloud.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findFlow } from '../../lambdas/flow/config/find-flow.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../lambdas/flow/config/load-config.js';
import type { Config } from '../../lambdas/flow/config/schema.js';
import { parseRunInput } from '../../lambdas/flow/events.js';
import { clientSideEncryptionFor } from '../../lambdas/flow/runner/client-side-encryption-for.js';
import { runFlow } from '../../lambdas/flow/runner/run-flow.js';
import type { Sandbox, SandboxOptions } from '../../sandbox/index.js';
import { checkOktaSourceFlags, type OktaSourceFlags, resolveOktaSource } from './okta-source.js';
import { createRunProgress } from './progress.js';
import { localRunnerDeps, parseOut } from './runner-deps.js';
import { type RunSummaryRow, summaryTable, warningLines } from './summary.js';
import { thisProcess } from './unlock.js';

export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../examples/okta-flow.config.json', import.meta.url));
export const DEFAULT_OUT = 'okta-flow-output';

export interface RunCommandOptions extends OktaSourceFlags {
  readonly flows: readonly string[];
  readonly config?: string | undefined;
  readonly out?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly full?: boolean | undefined;
  readonly kmsKey?: string | undefined;
  readonly progress?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly print?: (line: string) => void;
  /** A sandbox already started (the demo); otherwise --sandbox starts one and closes it at the end. */
  readonly sandboxInstance?: Sandbox | undefined;
  /** Extra options for a sandbox --sandbox starts (tests). */
  readonly sandboxOptions?: SandboxOptions;
}

export interface RunCommandResult {
  readonly rows: RunSummaryRow[];
  readonly where: string;
  readonly ok: boolean;
}

/** The config to use: --config, else ./okta-flow.config.json, else (with --sandbox only) the bundled example. */
export function resolveConfig(path: string | undefined, sandbox: boolean): { config: Config; path: string } {
  if (path !== undefined) return { config: loadConfig(path), path };
  if (existsSync(DEFAULT_CONFIG_FILE) || !sandbox)
    return { config: loadConfig(DEFAULT_CONFIG_FILE), path: DEFAULT_CONFIG_FILE };
  return { config: loadConfig(EXAMPLE_CONFIG), path: EXAMPLE_CONFIG };
}

export async function runCommand(options: RunCommandOptions): Promise<RunCommandResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { config, path } = resolveConfig(
    options.config,
    options.sandbox === true || options.sandboxInstance !== undefined || options.sandboxUrl !== undefined,
  );
  // Same validation and messages as the console input of the state machine.
  const inputs = options.flows.map((flow) =>
    parseRunInput({
      flow,
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.to !== undefined ? { to: options.to } : {}),
      ...(options.full ? { fullResync: true } : {}),
    }),
  );
  for (const input of inputs) findFlow(config, input.flow);
  const kmsKey = options.kmsKey ?? process.env.OKTA_FLOW_KMS_KEY;
  const out = parseOut(options.out ?? DEFAULT_OUT, kmsKey, config.output.prefix);
  const clientSideEncryption = clientSideEncryptionFor(config.output, kmsKey);
  // Option combinations are checked before anything starts (a sandbox, a progress bar).
  checkOktaSourceFlags(options, { command: 'run', sandboxInstance: options.sandboxInstance });
  const source = await resolveOktaSource(options, {
    command: 'run',
    config,
    sandboxInstance: options.sandboxInstance,
    ...(options.sandboxOptions ? { sandboxOptions: options.sandboxOptions } : {}),
  });
  const progress = createRunProgress(options.progress ?? process.stderr.isTTY === true);
  try {
    print(`Okta: ${source.description}; config ${path}`);
    const deps = localRunnerDeps({
      config,
      okta: { kind: 'connection', connection: source },
      out,
      onProgress: (u) => progress.update(u),
      ...(clientSideEncryption ? { clientSideEncryption } : {}),
      // A sandbox org has its own clock (records are stamped with it): windows must be read on it too.
      clock: source.clock,
    });
    const rows: RunSummaryRow[] = [];
    for (const input of inputs) {
      try {
        const result = await runFlow(
          input.flow,
          // The lease records this process, so `okta-flow unlock` can release it if this process dies.
          { kind: 'manual', from: input.from, to: input.to, fullResync: input.fullResync, holder: thisProcess() },
          deps,
          options.signal ? { signal: options.signal } : {},
        );
        rows.push({ flow: input.flow, status: 'committed', detail: result.completed });
      } catch (error) {
        // What the run had done, and what Okta warned about, come from its Run Failed event.
        const failed = deps.events.ofKind('failed').findLast((e) => e.flow === input.flow);
        rows.push({
          flow: input.flow,
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          ...(failed ? { counts: failed.counts } : {}),
          ...(failed?.warnings ? { warnings: failed.warnings } : {}),
        });
      }
    }
    progress.stop();
    print('');
    print(summaryTable(rows));
    print('');
    for (const row of rows) {
      if (row.detail) for (const m of row.detail.manifests) print(`${row.flow}: ${out.locate(m)}`);
      if (row.error) print(`${row.flow} failed: ${row.error}`);
    }
    for (const line of warningLines(rows)) print(line);
    print(`Output: ${out.where}`);
    return { rows, where: out.where, ok: rows.every((r) => r.status === 'committed') };
  } finally {
    progress.stop();
    await source.close();
  }
}
