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
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { createRunProgress } from './progress.js';
import { localCredentials, localRunnerDeps, type OktaSource, parseOut } from './runner-deps.js';
import { type RunSummaryRow, summaryTable } from './summary.js';

export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../examples/okta-flow.config.json', import.meta.url));
export const DEFAULT_OUT = 'okta-flow-output';

export interface RunCommandOptions {
  readonly flows: readonly string[];
  readonly config?: string | undefined;
  readonly sandbox?: boolean | undefined;
  readonly sandboxUsers?: number | undefined;
  readonly out?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly full?: boolean | undefined;
  readonly secretFile?: string | undefined;
  readonly kmsKey?: string | undefined;
  readonly progress?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly print?: (line: string) => void;
  /** A sandbox already started (the demo); otherwise --sandbox starts one and closes it at the end. */
  readonly sandboxInstance?: Sandbox | undefined;
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
    options.sandbox === true || options.sandboxInstance !== undefined,
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
  let sandbox = options.sandboxInstance;
  const ownSandbox = sandbox === undefined && options.sandbox === true;
  if (ownSandbox) sandbox = await startSandbox({ users: options.sandboxUsers ?? 10_000 });
  const progress = createRunProgress(options.progress ?? process.stderr.isTTY === true);
  try {
    const okta: OktaSource =
      sandbox !== undefined
        ? { kind: 'sandbox', baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }
        : { kind: 'org', credentials: await localCredentials(config, options.secretFile) };
    if (sandbox !== undefined)
      print(`Sandbox org on ${sandbox.baseUrl} (${sandbox.org.counts.users} users); config ${path}`);
    const deps = localRunnerDeps({
      config,
      okta,
      out,
      onProgress: (u) => progress.update(u),
      ...(clientSideEncryption ? { clientSideEncryption } : {}),
      // The sandbox org has its own clock (records are stamped with it): windows must be read on it too.
      ...(sandbox !== undefined ? { clock: () => sandbox.clock.now() } : {}),
    });
    const rows: RunSummaryRow[] = [];
    for (const input of inputs) {
      try {
        const result = await runFlow(
          input.flow,
          { kind: 'manual', from: input.from, to: input.to, fullResync: input.fullResync },
          deps,
          options.signal ? { signal: options.signal } : {},
        );
        rows.push({ flow: input.flow, status: 'committed', detail: result.completed });
      } catch (error) {
        rows.push({
          flow: input.flow,
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
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
    print(`Output: ${out.where}`);
    return { rows, where: out.where, ok: rows.every((r) => r.status === 'committed') };
  } finally {
    progress.stop();
    if (ownSandbox) await sandbox?.close();
  }
}
