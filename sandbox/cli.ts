/**
 * `npm run sandbox -- --users 10000 --seed 42 --port 0 --json`: serves a sandbox org until SIGINT/SIGTERM.
 * With --json, prints exactly one JSON line (baseUrl, apiToken, oauth) on stdout for scripts and tests.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { type Sandbox, type SandboxOptions, startSandbox } from './index.js';
import { epochForClock } from './org/index.js';
import type { BucketName } from './server/rate-limits.js';

const BUCKETS: readonly BucketName[] = [
  'apps',
  'groups',
  'users',
  'appsWrite',
  'groupsWrite',
  'usersWrite',
  'devices',
  'logs',
  'api',
  'token',
  'oauth',
  'other',
];

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
}

function bucketLimit(
  value: string,
  previous: Partial<Record<BucketName, number>>,
): Partial<Record<BucketName, number>> {
  const [name, limit] = value.split('=');
  const bucket = BUCKETS.find((candidate) => candidate === name);
  if (!bucket || limit === undefined) {
    throw new InvalidArgumentError(`expected <bucket>=<per minute> with bucket one of ${BUCKETS.join(', ')}`);
  }
  return { ...previous, [bucket]: nonNegativeInt(limit) };
}

function timestamp(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO-8601 time, e.g. 2026-01-01T00:00:00.000Z');
  return ms;
}

const program = new Command()
  .name('sandbox')
  .description('Serve a local, deterministic Okta org on loopback (Management API, org OAuth server, faults).')
  .option('--users <n>', 'number of users', nonNegativeInt, 1000)
  .option('--groups <n>', 'number of groups (default: proportional to users)', nonNegativeInt)
  .option('--apps <n>', 'number of applications', nonNegativeInt)
  .option('--devices <n>', 'number of devices', nonNegativeInt)
  .option(
    '--log-events <n>',
    'System Log history: n generated events over the 90 days before the org epoch',
    nonNegativeInt,
  )
  .option('--seed <n>', 'seed: same seed and sizes give the same org', nonNegativeInt, 42)
  .option('--port <n>', 'port on 127.0.0.1 (0 = pick a free one)', nonNegativeInt, 0)
  .option('--api-token <token>', 'SSWS API token to accept (default: random)')
  .option('--no-rate-limits', "turn off Okta's rate limits (headers are still sent)")
  .option('--rate-limit <bucket=n>', 'per-minute limit of one bucket (repeatable)', bucketLimit, {})
  .option('--principal-share <share>', 'share of each bucket one token/client may use, e.g. 0.5', share)
  .option('--concurrency-limit <n>', 'requests in flight before 429', nonNegativeInt)
  .option('--clock-start <iso>', 'start the sandbox clock at this time', timestamp)
  .option(
    '--epoch <iso>',
    "the org's generation time: records are created before it, System Log history covers the 90 days before it " +
      '(default: the start of the UTC day the clock starts in, so the history is within the last 90 days)',
    timestamp,
  )
  .option('--frozen-clock', 'the sandbox clock stands still until moved via /__sandbox/clock')
  .option('--redirect-uri <uri...>', 'redirect URIs registered for the web OAuth apps')
  .addOption(new Option('--json', 'print one JSON line with baseUrl, apiToken and oauth, nothing else'));

program.parse();

interface CliOptions {
  users: number;
  groups?: number;
  apps?: number;
  devices?: number;
  logEvents?: number;
  seed: number;
  port: number;
  apiToken?: string;
  rateLimits: boolean;
  rateLimit: Partial<Record<BucketName, number>>;
  principalShare?: number;
  concurrencyLimit?: number;
  clockStart?: number;
  epoch?: number;
  frozenClock?: boolean;
  redirectUri?: string[];
  json?: boolean;
}

const cli = program.opts<CliOptions>();
const clockStart = cli.clockStart ?? Date.now();

const options: SandboxOptions = {
  users: cli.users,
  seed: cli.seed,
  port: cli.port,
  rateLimits: cli.rateLimits ? { limits: cli.rateLimit } : false,
  clock: { startMs: clockStart, running: !cli.frozenClock },
  epochMs: cli.epoch ?? epochForClock(clockStart),
  ...(cli.groups !== undefined && { groups: cli.groups }),
  ...(cli.apps !== undefined && { apps: cli.apps }),
  ...(cli.devices !== undefined && { devices: cli.devices }),
  ...(cli.logEvents !== undefined && { logEvents: cli.logEvents }),
  ...(cli.apiToken !== undefined && { apiToken: cli.apiToken }),
  ...(cli.principalShare !== undefined && { principalShare: cli.principalShare }),
  ...(cli.concurrencyLimit !== undefined && { concurrencyLimit: cli.concurrencyLimit }),
  ...(cli.redirectUri !== undefined && { oauth: { redirectUris: cli.redirectUri } }),
};

const sandbox = await startSandbox(options);

// The sandbox's credentials guard nothing real: printing them is how scripts and tests get hold of them.
if (cli.json) process.stdout.write(`${JSON.stringify(connectionInfo(sandbox))}\n`);
else process.stdout.write(humanSummary(sandbox));

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `sandbox: failed to close cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

function connectionInfo(s: Sandbox) {
  return { baseUrl: s.baseUrl, apiToken: s.apiToken, oauth: s.oauth };
}

function humanSummary(s: Sandbox): string {
  const { web, service } = s.oauth.clients;
  return [
    `Okta sandbox org listening on ${s.baseUrl}`,
    `  org: ${cli.users} users, seed ${cli.seed}; rate limits ${cli.rateLimits ? 'on' : 'off'}`,
    `  API token: ${s.apiToken}`,
    '',
    'Try:',
    `  curl -s -H "Authorization: SSWS ${s.apiToken}" "${s.baseUrl}/api/v1/users?limit=2"`,
    `  curl -si -H "Authorization: SSWS ${s.apiToken}" "${s.baseUrl}/api/v1/groups?limit=2" | grep -i '^link'`,
    `  curl -s "${s.baseUrl}/.well-known/openid-configuration"`,
    `  curl -s "${s.baseUrl}/__sandbox/clock"`,
    `  curl -s -X POST -d '{"advanceMs": 3600000}' "${s.baseUrl}/__sandbox/clock"`,
    `  curl -s -X POST -d '{"route":"/api/v1/users","nth":1,"fault":{"kind":"status","status":503}}' "${s.baseUrl}/__sandbox/faults"`,
    '',
    'OAuth (org authorization server):',
    `  web app ${web.clientId} (auth code + PKCE, refresh ROTATE, ${web.tokenEndpointAuthMethod}), redirect ${web.redirectUris.join(', ')}`,
    `  service app ${service.clientId} (client_credentials, private_key_jwt); use --json to get its private JWK`,
    '',
    'Ctrl-C to stop.',
    '',
  ].join('\n');
}
