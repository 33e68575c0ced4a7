/**
 * The package as a user gets it: `npm run build`, `npm pack`, then the tarball installed into a fresh CDK app in a
 * temporary folder with production dependencies only (`npm install --omit=dev`, from the npm cache where it can).
 * The app is examples/cdk-app: its own role, queues and alarm next to `new OktaFlow(...)`. It must typecheck against
 * the installed `.d.ts`, synthesize offline (no sources, no esbuild, no AWS credentials) with cdk-nag clean and each
 * Lambda deploying the bundle prebuilt into the package, and the installed `okta-flow` CLI must run without tsx:
 * `--help`, `init` (and its refusal to overwrite), `validate`, `run --sandbox`, `query` and `sandbox`.
 *
 * The user's own CDK libraries (aws-cdk-lib, constructs, cdk-nag, @types/node) are linked from this project's
 * node_modules instead of being installed again: they are the app's dependencies, not the package's, and installing
 * aws-cdk-lib (160 MB) would only make the test slower.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerEntries } from '../../scripts/build-lambda-bundles.js';
import { type Json, nagErrorsIn, resourcesOf } from '../infra/synthesize.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE_APP = join(ROOT, 'examples', 'cdk-app');
const run = promisify(execFile);
const SETUP_TIMEOUT = 900_000;

/** The environment of a user's shell: no npm script variables (npm_config_local_prefix would point npm here). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|AWS_)/i.test(key)) continue;
    env[key] = value;
  }
  // `node` on PATH is this Node 22 (the bin's shebang is `#!/usr/bin/env node`).
  env.PATH = [dirname(process.execPath), env.PATH ?? ''].join(delimiter);
  return { ...env, NO_COLOR: '1', ...extra };
}

async function sh(
  file: string,
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      env: userEnv(extra),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: { path: string; size: number }[];
}

const work = mkdtempSync(join(tmpdir(), 'okta-flow-package-'));
const app = join(work, 'app');
const installed = join(app, 'node_modules', 'okta-flow');
const cli = join(app, 'node_modules', '.bin', 'okta-flow');
let packed: Packed;
let template: Json;
let synthOut: { code: number; stdout: string; stderr: string };
let assembly: string;

beforeAll(async () => {
  const build = await sh('npm', ['run', 'build'], ROOT);
  expect(build.code, build.stderr).toBe(0);
  const pack = await sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout) as Packed[])[0] as Packed;

  mkdirSync(app);
  for (const file of ['app.ts', 'cdk.json', 'tsconfig.json', 'okta-flow.config.json']) {
    cpSync(join(EXAMPLE_APP, file), join(app, file));
  }
  const example = JSON.parse(readFileSync(join(EXAMPLE_APP, 'package.json'), 'utf8')) as Json;
  const manifest = {
    name: example.name,
    private: true,
    type: 'module',
    dependencies: { 'okta-flow': `file:${join(work, packed.filename)}` },
  };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest));
  const install = await sh(
    'npm',
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    app,
  );
  expect(install.code, install.stderr).toBe(0);
  // The app's own CDK dependencies (see the header).
  for (const dep of ['aws-cdk-lib', 'constructs', 'cdk-nag', '@types/node']) {
    const at = join(app, 'node_modules', dep);
    // @types/node may already be there, as a dependency of a dependency.
    if (existsSync(at)) continue;
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), at, 'dir');
  }

  assembly = join(app, 'cdk.out');
  // What `cdk synth` runs (cdk.json), with the context the CLI passes for asset metadata; no AWS credentials.
  synthOut = await sh(process.execPath, ['--experimental-strip-types', 'app.ts'], app, {
    CDK_OUTDIR: assembly,
    CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-asset-metadata': true }),
  });
  if (synthOut.code === 0) {
    template = JSON.parse(readFileSync(join(assembly, 'Analytics.template.json'), 'utf8')) as Json;
  }
}, SETUP_TIMEOUT);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the package', () => {
  it('contains the compiled package and nothing else: no sources, tests, benches or handler sources', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/lambdas/flow/config/index.d.ts',
        'dist/bin/okta-flow.js',
        'dist/sandbox/cli.js',
        'dist/schemas/okta-flow.config.schema.json',
        'dist/examples/okta-flow.config.json',
        ...handlerEntries().map((h) => `dist/lambda-bundles/${h.name}/index.mjs`),
      ]),
    );
    for (const path of paths) {
      expect(path, path).toMatch(/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/);
      expect(path.endsWith('.ts') && !path.endsWith('.d.ts'), path).toBe(false);
      expect(path.startsWith('dist/lambdas/handlers/'), path).toBe(false);
    }
    expect(packed.entryCount).toBe(paths.length);
  });

  it('installs with production dependencies only: no tsx, esbuild, TypeScript or test tools', () => {
    const modules = readdirSync(join(app, 'node_modules'));
    for (const devOnly of ['tsx', 'esbuild', 'typescript', 'vitest', 'aws-cdk', '@biomejs', 's3rver']) {
      expect(modules, devOnly).not.toContain(devOnly);
    }
    expect(existsSync(join(installed, 'dist', 'lambda-bundles'))).toBe(true);
    expect(existsSync(join(installed, 'lambdas'))).toBe(false);
  });
});

describe('a user CDK app with OktaFlow', () => {
  it('typechecks against the installed types (strict, erasable syntax only)', async () => {
    const tsc = await sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });

  it('synthesizes offline with cdk-nag clean (okta-flow’s acknowledgements came with the construct)', () => {
    expect(synthOut.stderr).not.toMatch(/Error|AwsSolutions-/);
    expect(synthOut.code).toBe(0);
    expect(nagErrorsIn(assembly)).toEqual([]);
  });

  it('holds the user’s resources and okta-flow’s: state machine, KMS, Glue, schedules, alarms', () => {
    const count = (type: string) => resourcesOf(template, type).length;
    const [, machine] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0] as [string, Json];
    expect(machine.Properties.StateMachineName).toBe('OktaExports-RunFlow');
    expect(count('AWS::KMS::Key')).toBe(1);
    const [, key] = resourcesOf(template, 'AWS::KMS::Key')[0] as [string, Json];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const [, db] = resourcesOf(template, 'AWS::Glue::Database')[0] as [string, Json];
    expect(db.Properties.DatabaseInput.Name).toBe('oktaexports');
    // Three objects (User, Group, Application): three tables and three views each.
    expect(count('AWS::Glue::Table')).toBe(18);
    const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(
      ['cron(0 2 * * ? *)', 'cron(30 2 * * ? *)', 'rate(1 hour)'].sort(),
    );
    expect(schedules.find((s) => s.ScheduleExpression.startsWith('cron'))?.ScheduleExpressionTimezone).toBe(
      'Europe/Paris',
    );
    const ids = Object.keys(template.Resources as Json);
    for (const own of ['Analysts', 'OktaRunEvents', 'OktaRunEventsDlq', 'NoUsersCopied']) {
      expect(
        ids.some((id) => id.startsWith(own)),
        own,
      ).toBe(true);
    }
    const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith('NoUsersCopied'));
    expect(alarm?.[1].Properties).toMatchObject({ Namespace: 'OktaFlow', MetricName: 'records' });
    const [, rule] = resourcesOf(template, 'AWS::Events::Rule')[0] as [string, Json];
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['Run Completed', 'Run Failed']);
    const analysts = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('AnalystsDefaultPolicy'));
    const actions = analysts.flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: Json) => s.Action));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 'kms:Decrypt', 'glue:GetTable']));
  });

  it('deploys the bundles prebuilt into the package as the Lambdas’ code, byte for byte', () => {
    const bundles = new Map(
      handlerEntries().map((h) => [
        readFileSync(join(installed, 'dist', 'lambda-bundles', h.name, 'index.mjs'), 'utf8'),
        h.name,
      ]),
    );
    const functions = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('OktaRunner'));
    expect(functions).toHaveLength(4);
    const deployed = functions.map(([, f]) => {
      expect(f.Properties.Handler).toBe('index.handler');
      const code = readFileSync(join(assembly, f.Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
      return bundles.get(code) ?? 'not a prebuilt bundle';
    });
    expect(deployed.sort()).toEqual(['commit-run', 'extract-step', 'fail-run', 'plan-run']);
  });
});

describe('the installed okta-flow CLI', () => {
  it('--help lists the commands, init among them', async () => {
    const help = await sh(cli, ['--help'], app);
    expect(help.code, help.stderr).toBe(0);
    for (const command of [
      'init',
      'validate',
      'describe',
      'run',
      'query',
      'apply',
      'invoke',
      'invoke-apply',
      'sandbox',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('init refuses to overwrite the app’s config, writes a new one that validates, and prints the next steps', async () => {
    const before = readFileSync(join(app, 'okta-flow.config.json'), 'utf8');
    const refused = await sh(cli, ['init', '--domain', 'acme.okta.com'], app);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('okta-flow.config.json already exists');
    expect(readFileSync(join(app, 'okta-flow.config.json'), 'utf8')).toBe(before);

    const init = await sh(cli, ['init', 'try.config.json', '--domain', 'acme.okta.com'], app);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Next steps:');
    expect(init.stdout).toContain('okta-flow validate --config try.config.json');
    const written = JSON.parse(readFileSync(join(app, 'try.config.json'), 'utf8')) as { $schema: string };
    expect(written.$schema).toBe('./node_modules/okta-flow/dist/schemas/okta-flow.config.schema.json');
    expect(existsSync(resolve(app, written.$schema))).toBe(true);
    const validate = await sh(cli, ['validate', '--config', 'try.config.json'], app);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid — 3 flow(s) for acme.okta.com');
  });

  it('run --sandbox runs a starter flow in-process and query reads it back (DuckDB from the install)', async () => {
    const config = join(app, 'sandbox.config.json');
    const init = await sh(cli, ['init', config, '--domain', 'acme.okta.com'], app);
    expect(init.code, init.stderr).toBe(0);
    const out = join(work, 'out');
    const args = ['run', 'users-hourly', '--sandbox', '--sandbox-users', '250', '--config', config, '--out', out];
    const result = await sh(cli, [...args, '--no-progress'], app);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // An incremental flow's first run (no firstExecutionFrom) is a full load: every one of the 250 users.
    expect(result.stdout).toMatch(/users-hourly\s+User\s+committed\s+full\s.*\s250\s/);
    expect(readdirSync(join(out, 'okta', '_commits', 'User'))).toHaveLength(1);
    const query = await sh(
      cli,
      ['query', 'SELECT count(*) AS n FROM users_current', '--out', out, '--config', config, '--json'],
      app,
    );
    expect(query.code, query.stderr).toBe(0);
    expect(JSON.parse(query.stdout.trim())).toEqual({ n: 250 });
  });

  it('sandbox serves the compiled sandbox org from the package', async () => {
    const child: ChildProcess = spawn(cli, ['sandbox', '--users', '20', '--port', '0', '--json'], {
      cwd: app,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const stdout = child.stdout;
      if (!stdout) throw new Error('no stdout');
      const line = await new Promise<string>((resolveLine, reject) => {
        const lines = createInterface({ input: stdout });
        lines.once('line', resolveLine);
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
      });
      const { baseUrl, apiToken } = JSON.parse(line) as { baseUrl: string; apiToken: string };
      const response = await fetch(`${baseUrl}/api/v1/users?limit=5`, {
        headers: { Authorization: `SSWS ${apiToken}`, Accept: 'application/json' },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as unknown[]).length).toBe(5);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
