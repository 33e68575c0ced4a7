#!/usr/bin/env node
/**
 * okta-flow CLI: write a starter config (init), validate a config, describe Okta objects, run flows in-process (against the org or the bundled
 * sandbox), query the committed output (DuckDB), connect (OAuth consent), invoke the deployed state machine, and
 * serve the sandbox org.
 * Errors print one clear message and exit 1; stack traces only with OKTA_FLOW_DEBUG=1.
 */
import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../lambdas/flow/config/load-config.js';
import { parseRunInput } from '../lambdas/flow/events.js';
import { SecretsManagerSecretStore } from '../lambdas/okta/auth/secret-stores.js';
import { actionsHelp, applyCommand } from './commands/apply.js';
import { connectOAuth, DEFAULT_CONNECT_PORT } from './commands/connect.js';
import { describeCommand } from './commands/describe.js';
import { FileSecretStore } from './commands/file-secret-store.js';
import { initCommand } from './commands/init.js';
import { invokeFlow } from './commands/invoke.js';
import { describeApplyResult, invokeApplyPlan } from './commands/invoke-apply.js';
import { addOktaSourceOptions, connectTarget, type OktaSourceFlags } from './commands/okta-source.js';
import { queryCommand } from './commands/query.js';
import { DEFAULT_OUT, resolveConfig, runCommand } from './commands/run.js';
import { runSandboxCli } from './commands/sandbox.js';
import { defaultHolderCheck, stateStoreAt, unlockFlow } from './commands/unlock.js';
import { validateCommand } from './commands/validate.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port 0-65535');
  return n;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

const program = new Command()
  .name('okta-flow')
  .description('Copy Okta directory data (users, groups, apps, devices, user types) into Parquet/CSV/JSONL files.')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('validate')
  .description('check a config file (schema, catalog rules) and list its flows')
  .option('--config <file>', 'config file (JSON or YAML)', DEFAULT_CONFIG_FILE)
  .action((opts: { config: string }) => {
    say(validateCommand(opts.config).text);
  });

program
  .command('init')
  .description('write a starter config for your org (commented, with $schema), then print the next steps')
  .argument('[file]', 'the config to write; .yaml/.yml writes YAML', DEFAULT_CONFIG_FILE)
  .requiredOption('--domain <host>', 'your Okta org, e.g. acme.okta.com')
  .option('--secret <name|arn>', 'an existing credentials secret (default: the stack creates an empty one)')
  .option('--bucket <name>', 'an existing output bucket (default: the stack creates one)')
  .option('--prefix <prefix>', 'key prefix in the bucket', 'okta')
  .option('--format <format>', 'parquet, jsonl or csv', 'parquet')
  .option('--stack-name <name>', 'names the deployment (state machine, Glue database, dashboard)', 'OktaFlow')
  .option('--timezone <zone>', 'IANA time zone of the daily schedules', 'UTC')
  .option('--email <address>', 'where alarms are e-mailed')
  .action(
    (
      file: string,
      opts: {
        domain: string;
        secret?: string;
        bucket?: string;
        prefix: string;
        format: string;
        stackName: string;
        timezone: string;
        email?: string;
      },
    ) => {
      say(initCommand({ file, ...opts }).message);
    },
  );

addOktaSourceOptions(
  program
    .command('describe')
    .description(
      'fields of an Okta object: types, filter operators, push-down; with org access, the org’s custom attributes',
    )
    .argument('<object>', 'Application, Device, Group, User or UserType')
    .option('--json', 'print JSON')
    .option(
      '--config <file>',
      `config file for the configured org with --secret-file (default ${DEFAULT_CONFIG_FILE})`,
    ),
).action(async (object: string, opts: OktaSourceFlags & { json?: boolean; config?: string }) => {
  await describeCommand(object, opts);
});

addOktaSourceOptions(
  program
    .command('run')
    .description('run flows now, in this process (same runner as the Lambdas)')
    .argument('<flow...>', 'flow name(s) from the config')
    .option(
      '--config <file>',
      `config file (default ${DEFAULT_CONFIG_FILE}; with a sandbox, the bundled example if absent)`,
    ),
)
  .option('--out <dir|s3://bucket/prefix>', 'where files and state go', DEFAULT_OUT)
  .option('--from <iso>', 'window start override (ISO-8601)')
  .option('--to <iso>', 'window end override (ISO-8601)')
  .option('--full', 'full re-sync: every record as of now, whatever the state says')
  .option('--kms-key <arn>', 'SSE-KMS key for s3:// output (or OKTA_FLOW_KMS_KEY)')
  .addOption(new Option('--no-progress', 'no progress bars'))
  .action(
    async (
      flows: string[],
      opts: OktaSourceFlags & {
        config?: string;
        out: string;
        from?: string;
        to?: string;
        full?: boolean;
        kmsKey?: string;
        progress: boolean;
      },
    ) => {
      const abort = new AbortController();
      const onSignal = () => abort.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const result = await runCommand({
        flows,
        config: opts.config,
        sandbox: opts.sandbox,
        sandboxUsers: opts.sandboxUsers,
        sandboxUrl: opts.sandboxUrl,
        secretFile: opts.secretFile,
        out: opts.out,
        from: opts.from,
        to: opts.to,
        full: opts.full,
        kmsKey: opts.kmsKey,
        progress: opts.progress && process.stderr.isTTY === true,
        signal: abort.signal,
      });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (!result.ok) process.exitCode = 1;
    },
  );

addOktaSourceOptions(
  program
    .command('apply')
    .description(
      'resolve a plan of Okta write actions against the org and show it (dry run); --execute applies it, audited',
    )
    .argument('<plan>', 'plan.jsonl (one action per line, e.g. from `okta-flow query --json`) or plan.csv')
    .option('--execute', 'apply the rows that will change (without it nothing is written to Okta)')
    .option(
      '--config <file>',
      `config file: okta.domain, okta.writeCredentialsSecret, output.prefix (default ${DEFAULT_CONFIG_FILE})`,
    ),
)
  .option('--out <dir|s3://bucket/prefix>', 'where the resolution and audit go', DEFAULT_OUT)
  .option('--kms-key <arn>', 'SSE-KMS key for s3:// output (or OKTA_FLOW_KMS_KEY)')
  .option('--max-actions <n>', 'refuse plans with more rows than this', wholeNumber, 100)
  .addOption(new Option('--on-error <mode>', 'after a failed action').choices(['stop', 'continue']).default('stop'))
  .option('--json', 'print the resolution (and execution) as JSON')
  .option('--event-bus <name>', 'also publish one Apply Action event per action on this EventBridge bus ("default")')
  .addHelpText('after', `\nActions (columns, Okta call):\n${actionsHelp()}`)
  .action(
    async (
      plan: string,
      opts: OktaSourceFlags & {
        execute?: boolean;
        config?: string;
        out: string;
        kmsKey?: string;
        maxActions: number;
        onError: 'stop' | 'continue';
        json?: boolean;
        eventBus?: string;
      },
    ) => {
      await applyCommand({ plan, ...opts });
    },
  );

program
  .command('query')
  .description('SQL over the committed output (DuckDB): users, users_current, user_deletes, … as in Athena')
  .argument('<sql>', 'the query, e.g. "SELECT status, count(*) FROM users_current GROUP BY status"')
  .option('--out <dir|s3://bucket/prefix>', 'the output to read', DEFAULT_OUT)
  .option('--config <file>', `config whose output.prefix the folder uses (default ${DEFAULT_CONFIG_FILE} if present)`)
  .option('--prefix <prefix>', 'output prefix inside the folder (default: the config’s, else okta)')
  .option('--json', 'one JSON object per row on stdout, nothing else')
  .action(async (sql: string, opts: { out: string; config?: string; prefix?: string; json?: boolean }) => {
    await queryCommand({ sql, out: opts.out, config: opts.config, prefix: opts.prefix, json: opts.json });
  });

addOktaSourceOptions(
  program
    .command('connect')
    .description('OAuth consent (authorization code + PKCE via http://127.0.0.1:<port>/callback); stores the tokens')
    .option('--config <file>', 'config file (its okta.domain and credentialsSecret)', DEFAULT_CONFIG_FILE)
    .option('--domain <host>', 'Okta org domain (default: the config’s)'),
)
  .option('--client-id <id>', 'the Okta web app client id (or OKTA_CLIENT_ID)')
  .option('--client-secret-file <file>', 'file holding the client secret (never an environment variable)')
  .option('--scopes <scopes>', 'space-separated scopes (offline_access is needed for a refresh token)')
  .option('--port <n>', 'loopback port of the redirect URI', port, DEFAULT_CONNECT_PORT)
  .option('--secret <name|arn>', 'Secrets Manager secret to store the tokens in (default: okta.credentialsSecret)')
  .option('--print', 'print the secret JSON instead of storing it (local use only)')
  .action(
    async (
      opts: OktaSourceFlags & {
        config: string;
        domain?: string;
        clientId?: string;
        clientSecretFile?: string;
        scopes?: string;
        port: number;
        secret?: string;
        print?: boolean;
      },
    ) => {
      const target = connectTarget(opts);
      const needConfig = (opts.domain === undefined && opts.sandboxUrl === undefined) || target.kind === 'configured';
      const config = needConfig ? resolveConfig(opts.config, false).config : undefined;
      const domain = opts.sandboxUrl ?? opts.domain ?? config?.okta.domain ?? '';
      const clientId = opts.clientId ?? process.env.OKTA_CLIENT_ID;
      const clientSecret = opts.clientSecretFile ? readFileSync(opts.clientSecretFile, 'utf8').trim() : undefined;
      if (!clientId || !clientSecret) {
        throw new Error(
          'connect needs the web app credentials: --client-id (or OKTA_CLIENT_ID) and --client-secret-file',
        );
      }
      const loopback = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(domain);
      const secret = await connectOAuth({
        domain,
        ...(config?.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
        allowLoopback: loopback,
        clientId,
        clientSecret,
        ...(opts.scopes ? { scopes: opts.scopes.split(/\s+/).filter(Boolean) } : {}),
        port: opts.port,
        presentUrl: (url) => {
          process.stderr.write(
            `Open this URL in a browser signed in to Okta as an admin, and consent:\n\n  ${url}\n\n`,
          );
        },
      });
      if (target.kind === 'print') {
        say(JSON.stringify(secret));
        process.stderr.write(
          'Keep this JSON secret: it holds a refresh token. Use it with `okta-flow run --secret-file`.\n',
        );
        return;
      }
      if (target.kind === 'file') {
        await new FileSecretStore(target.path).write(JSON.stringify(secret));
        say(`Stored the Okta OAuth tokens in ${target.path} (readable by you only).`);
        return;
      }
      const configured = config?.okta.credentialsSecret;
      const secretId = opts.secret ?? (typeof configured === 'string' ? configured : configured?.name);
      if (secretId === undefined) {
        throw new Error(
          'No secret to store the tokens in: pass --secret <name|arn>, name it in okta.credentialsSecret, ' +
            '--secret-file <file>, or use --print',
        );
      }
      await new SecretsManagerSecretStore(new SecretsManagerClient({}), secretId).write(JSON.stringify(secret));
      say(`Stored the Okta OAuth tokens in ${secretId}.`);
    },
  );

program
  .command('unlock')
  .description("release a flow's lease whose holder is provably gone (its execution or process has ended)")
  .argument('<flow>', 'flow name')
  .option(
    '--state <dir|s3://bucket/prefix>',
    "where the state is: the --out of `run`, or the stack's bucket and prefix",
    DEFAULT_OUT,
  )
  .action(async (flow: string, opts: { state: string }) => {
    const outcome = await unlockFlow(flow, {
      state: stateStoreAt(opts.state),
      now: Date.now,
      checkHolder: defaultHolderCheck(() => new SFNClient({})),
    });
    say(outcome.message);
  });

program
  .command('invoke')
  .description('start the deployed RunFlow state machine for a flow and follow it to the end')
  .argument('<flow>', 'flow name')
  .option('--config <file>', 'config file (for the stack name)', DEFAULT_CONFIG_FILE)
  .option(
    '--state-machine-arn <arn>',
    'the state machine (default: OKTA_FLOW_STATE_MACHINE_ARN, or found by stack name)',
  )
  .option('--from <iso>', 'window start override (ISO-8601)')
  .option('--to <iso>', 'window end override (ISO-8601)')
  .option('--full', 'full re-sync')
  .action(
    async (
      flow: string,
      opts: { config: string; stateMachineArn?: string; from?: string; to?: string; full?: boolean },
    ) => {
      const input = parseRunInput({
        flow,
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.full ? { fullResync: true } : {}),
      });
      const arn = opts.stateMachineArn ?? process.env.OKTA_FLOW_STATE_MACHINE_ARN;
      const stackName = arn ? 'OktaFlow' : resolveConfig(opts.config, false).config.stack.name;
      const result = await invokeFlow({
        sfn: new SFNClient({}),
        input,
        stateMachineArn: arn,
        stackName,
        onStatus: (status, executionArn) => process.stderr.write(`${status}  ${executionArn}\n`),
      });
      say(JSON.stringify(result.output ?? { error: result.error, cause: result.cause }, null, 2));
      if (result.status !== 'SUCCEEDED') process.exitCode = 1;
    },
  );

program
  .command('invoke-apply')
  .description(
    'start the deployed ApplyPlan state machine on a plan in S3 and follow it to the end (dry run unless --execute)',
  )
  .argument('<plan>', 's3://<output bucket>/<prefix>/…/plan.jsonl (or .csv), under the output prefix')
  .option('--execute', 'apply the rows that will change (without it the execution is a dry run)')
  .option('--config <file>', 'config file (for the stack name)', DEFAULT_CONFIG_FILE)
  .option(
    '--state-machine-arn <arn>',
    'the ApplyPlan state machine (default: OKTA_FLOW_APPLY_STATE_MACHINE_ARN, or found by stack name)',
  )
  .action(async (plan: string, opts: { execute?: boolean; config: string; stateMachineArn?: string }) => {
    const arn = opts.stateMachineArn ?? process.env.OKTA_FLOW_APPLY_STATE_MACHINE_ARN;
    const stackName = arn ? 'OktaFlow' : resolveConfig(opts.config, false).config.stack.name;
    const result = await invokeApplyPlan({
      sfn: new SFNClient({}),
      plan,
      execute: opts.execute === true,
      stateMachineArn: arn,
      stackName,
      onStatus: (status, executionArn) => process.stderr.write(`${status}  ${executionArn}\n`),
    });
    for (const line of describeApplyResult(result, opts.execute === true)) say(line);
    if (result.status !== 'SUCCEEDED') process.exitCode = 1;
  });

program
  .command('sandbox')
  .description('serve the bundled local Okta org (options: see `okta-flow sandbox --help`)')
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .argument('[args...]')
  .action(async (args: string[]) => {
    process.exitCode = await runSandboxCli(args);
  });

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`okta-flow: ${message}\n`);
  if (process.env.OKTA_FLOW_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exitCode = 1;
}
