/**
 * `okta-flow apply <plan.jsonl|plan.csv> [--execute] …`: resolves a plan against the org and prints what each row
 * would do (will change before → after, already so, invalid); with --execute, resolves again and runs only the
 * will-change rows, auditing each (see lambdas/write/). Writes use the write credential (okta.writeCredentialsSecret
 * or --secret-file), never the read flows' secret.
 *
 * The audit is persisted like ApplyPlan's: resolution.json and audit.jsonl under `<out>/[<prefix>/]apply/<plan
 * hash>/<run id>/` (a folder, or S3 with SSE-KMS), every record stored before the next Okta call. The Apply Action
 * events go to EventBridge with --event-bus <name|default> (as ApplyPlan's do); without it they are not sent
 * anywhere — the audit file holds the same records.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../lambdas/flow/config/schema.js';
import { createOktaClient } from '../../lambdas/okta/client.js';
import { storeFor } from '../../lambdas/output/sinks/store.js';
import { ACTIONS, type ActionName } from '../../lambdas/write/actions.js';
import { type ApplyEventSink, EventBridgeApplyEvents, MemoryApplyEvents } from '../../lambdas/write/apply-events.js';
import { type ApplyPlanResult, applyPlan, DEFAULT_MAX_ACTIONS, loadPlan } from '../../lambdas/write/apply-plan.js';
import { PlanInvalidError } from '../../lambdas/write/errors.js';
import type { OnError } from '../../lambdas/write/execute-plan.js';
import { planFormatOf } from '../../lambdas/write/parse-plan.js';
import type { Resolution, ResolvedRow } from '../../lambdas/write/resolution.js';
import { writeScopesFor } from '../../lambdas/write/write-scopes.js';
import type { Sandbox, SandboxOptions } from '../../sandbox/index.js';
import { checkOktaSourceFlags, OktaSourceError, type OktaSourceFlags, resolveOktaSource } from './okta-source.js';
import { DEFAULT_OUT, resolveConfig } from './run.js';
import { parseOut } from './runner-deps.js';
import { formatTable } from './table.js';

export interface ApplyCommandOptions extends OktaSourceFlags {
  readonly plan: string;
  readonly execute?: boolean | undefined;
  readonly config?: string | undefined;
  readonly out?: string | undefined;
  readonly kmsKey?: string | undefined;
  readonly maxActions?: number | undefined;
  readonly onError?: OnError | undefined;
  readonly json?: boolean | undefined;
  /** Publish one Apply Action event per outcome on this EventBridge bus (`default` for the account's default). */
  readonly eventBus?: string | undefined;
  /** Tests: the AWS clients (default: the SDK's, from the environment). */
  readonly s3Client?: S3Client;
  readonly eventBridge?: EventBridgeClient;
  readonly print?: (line: string) => void;
  /** Tests and the demo: a sandbox already running in this process. */
  readonly sandboxInstance?: Sandbox | undefined;
  readonly sandboxOptions?: SandboxOptions;
  readonly signal?: AbortSignal;
}

export class ApplyCommandError extends Error {
  override readonly name = 'ApplyCommandError';
  constructor(
    message: string,
    readonly result?: ApplyPlanResult,
  ) {
    super(message);
  }
}

/** The config the Okta source resolves, with the write secret in the credentials' place. */
function writeConfig(config: Config | undefined): Config | undefined {
  if (config === undefined) return undefined;
  const secret = config.okta.writeCredentialsSecret;
  if (secret === undefined) return config;
  return { ...config, okta: { ...config.okta, credentialsSecret: secret } };
}

function runIdNow(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `apply-${stamp}-${randomBytes(3).toString('hex')}`;
}

const show = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`).join(' ');
};

function targetText(r: ResolvedRow): string {
  const t = r.target;
  return [t.user?.label, t.group?.label, t.app?.label].filter((x) => x !== undefined).join(' · ') || '—';
}

function detail(r: ResolvedRow): string {
  if (r.outcome === 'will-change') return `${show(r.before)} → ${show(r.after)}`;
  if (r.outcome === 'invalid') return `${r.field}: ${r.reason}`;
  return r.reason ?? '';
}

export function resolutionTable(resolution: Resolution): string {
  return formatTable(
    ['row', 'action', 'target', 'outcome', 'detail'],
    resolution.rows.map((r) => [String(r.row), r.action, targetText(r), r.outcome, detail(r)]),
  );
}

export async function applyCommand(options: ApplyCommandOptions): Promise<ApplyPlanResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sandbox = options.sandbox === true || options.sandboxInstance !== undefined || options.sandboxUrl !== undefined;
  checkOktaSourceFlags(options, { command: 'apply', sandboxInstance: options.sandboxInstance });
  const config = options.config !== undefined || !sandbox ? resolveConfig(options.config, sandbox).config : undefined;
  let text: string;
  try {
    text = readFileSync(options.plan, 'utf8');
  } catch (error) {
    throw new ApplyCommandError(
      `Cannot read the plan ${options.plan} (${(error as NodeJS.ErrnoException).code ?? 'error'}): give a .jsonl or .csv file.`,
    );
  }
  const plan = { text, format: planFormatOf(options.plan) } as const;
  const maxActions = options.maxActions ?? DEFAULT_MAX_ACTIONS;
  // Parse and size-check before touching the org or a credential.
  const rows = loadPlan(plan, maxActions);
  if (!sandbox && options.secretFile === undefined && config?.okta.writeCredentialsSecret === undefined) {
    throw new OktaSourceError(
      'apply writes with its own credential, never the read flows’ okta.credentialsSecret: set ' +
        'okta.writeCredentialsSecret (an OAuth app with okta.users.manage, okta.groups.manage, okta.apps.manage) or ' +
        'pass --secret-file <file>. Try it on the bundled org with --sandbox.',
    );
  }
  const out = parseOut(
    options.out ?? DEFAULT_OUT,
    options.kmsKey ?? process.env.OKTA_FLOW_KMS_KEY,
    config?.output.prefix,
    options.s3Client,
  );
  const events: ApplyEventSink =
    options.eventBus === undefined
      ? new MemoryApplyEvents()
      : new EventBridgeApplyEvents(
          options.eventBridge ?? new EventBridgeClient({}),
          options.eventBus === 'default' ? undefined : options.eventBus,
        );
  const source = await resolveOktaSource(options, {
    command: 'apply',
    config: writeConfig(config),
    sandboxInstance: options.sandboxInstance,
    requiredScopes: writeScopesFor(rows.map((r) => r.action)),
    ...(options.sandboxOptions ? { sandboxOptions: options.sandboxOptions } : {}),
  });
  try {
    const api = createOktaClient({
      domain: source.domain,
      allowLoopback: source.allowLoopback,
      ...(source.customDomains ? { customDomains: source.customDomains } : {}),
      credentials: source.credentials,
      // The configured share is a ceiling for writes as for reads; one write at a time.
      rateLimitShare: config?.okta.rateLimitShare ?? 0.5,
      maxConcurrency: 1,
    });
    if (!options.json) print(`Okta: ${source.description}`);
    let result: ApplyPlanResult;
    try {
      result = await applyPlan({
        plan: { rows },
        execute: options.execute === true,
        api,
        store: storeFor(out.target),
        prefix: out.prefix,
        locate: out.locate,
        events,
        runId: runIdNow(),
        maxActions,
        now: source.clock,
        ...(options.onError ? { onError: options.onError } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (error instanceof PlanInvalidError && error.resolution) {
        if (options.json) print(JSON.stringify({ ...error.resolution, executed: false, rejected: true }));
        else print(`\n${resolutionTable(error.resolution)}\n`);
      }
      throw error;
    }
    report(result, options, print);
    const failed = result.execution?.results.filter((r) => r.result !== 'succeeded') ?? [];
    if (failed.length > 0) {
      throw new ApplyCommandError(
        `${failed.length} action${failed.length === 1 ? '' : 's'} did not succeed (rows ${failed.map((f) => f.row).join(', ')}); ` +
          `the audit ${result.auditLocation ?? ''} says what was done. Fix the cause and run the plan again: ` +
          'rows already applied are already so.',
        result,
      );
    }
    return result;
  } finally {
    await source.close();
  }
}

function report(result: ApplyPlanResult, options: ApplyCommandOptions, print: (line: string) => void): void {
  const { resolution } = result;
  if (options.json) {
    print(
      JSON.stringify({
        ...resolution,
        executed: result.executed,
        ...(result.execution ? { execution: result.execution } : {}),
        resolutionLocation: result.resolutionLocation,
        ...(result.auditLocation ? { auditLocation: result.auditLocation } : {}),
      }),
    );
    return;
  }
  const { willChange, alreadySo } = resolution.counts;
  print('');
  print(resolutionTable(resolution));
  print('');
  print(`Plan ${resolution.planHash.slice(0, 12)}: ${willChange} will change, ${alreadySo} already so.`);
  if (!result.executed) {
    print(
      willChange === 0
        ? 'Nothing to do: the org already is as the plan says.'
        : 'Dry run: nothing was written. Run again with --execute to apply the rows that will change.',
    );
  } else if (willChange === 0) {
    print('Nothing to do: every row is already so (an executed plan run again changes nothing).');
  } else {
    const results = result.execution?.results ?? [];
    const ok = results.filter((r) => r.result === 'succeeded').length;
    print(`Executed: ${ok} of ${willChange} succeeded.`);
    for (const r of results.filter((x) => x.result !== 'succeeded'))
      print(`  row ${r.row} ${r.result}: ${r.error ?? ''}`);
    const skipped = result.execution?.notAttempted ?? [];
    if (skipped.length > 0) print(`  not attempted (--on-error stop): rows ${skipped.join(', ')}`);
    if (result.auditLocation) print(`Audit: ${result.auditLocation}`);
  }
  print(`Resolution: ${result.resolutionLocation}`);
}

/** The actions and their Okta calls, for `apply --help`. */
export function actionsHelp(): string {
  return Object.values(ACTIONS)
    .map(
      (a) =>
        `  ${a.name.padEnd(22)} ${[...a.targets, ...(a.profile === 'none' ? [] : ['profile'])].join(', ').padEnd(18)} ${a.okta}`,
    )
    .join('\n');
}

export type { ActionName };
