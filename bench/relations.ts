/**
 * `npx tsx bench/relations.ts`: what relation runs cost in requests, and whether they use the rate-limit share — a
 * benchmark, not a test.
 *
 *   npx tsx bench/relations.ts [--users 200000] [--groups 2000] [--ks 1,10,100] [--share 0.5] [--rate-seconds 130]
 *
 * The sandbox runs in its own process. Three measurements, each through the CLI's in-process runner
 * (`localRunnerDeps` + `runFlow`, output to a temporary folder), every request the client sends recorded (a fetch
 * wrapper):
 *   full         a full GroupMember run (rate limits off): requests vs the minimum, group pages +
 *                Σ ceil(members / 1000) over non-empty groups (member counts from `expand=stats`, read outside the
 *                run), at the page size the run uses (1000 groups) and at Okta's largest (10,000)
 *   incremental  an incremental GroupMember flow: a first run, then for each k a membership change in k groups and
 *                an incremental run: requests vs k (each changed group: one member page, plus the groups page, plus
 *                the id listing of every group that finds deleted ones: ceil(groups / 10,000) pages)
 *   group delete a non-empty group deleted between two incremental runs: the run's requests and tombstones (its pairs)
 *   rate-share   a full GroupMember run with Okta's rate limits on (groups bucket 600/min) at the share, stopped
 *                after --rate-seconds: requests per minute against share × limit, the busiest 60 s, 429s
 * Writes bench/results/relations-<time>.json; `npm run bench -- --phases relations` renders it into BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localRunnerDeps, parseOut } from '../bin/commands/runner-deps.js';
import { parseConfig } from '../lambdas/flow/config/index.js';
import { runFlow } from '../lambdas/flow/runner/run-flow.js';
import { writeResult } from './lib/results.js';
import { startSandboxProcess } from './lib/sandbox-process.js';
import type { RelationsReport } from './relations-report.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200000' },
    groups: { type: 'string', default: '2000' },
    ks: { type: 'string', default: '1,10,100' },
    share: { type: 'string', default: '0.5' },
    'rate-seconds': { type: 'string', default: '130' },
  },
});
const users = Number(values.users);
const groups = Number(values.groups);
const ks = values.ks.split(',').map((k) => Number(k.trim()));
const share = Number(values.share);
const rateSeconds = Number(values['rate-seconds']);
const GROUPS_BUCKET_PER_MINUTE = 600;

const config = (okta: Record<string, unknown> = {}) =>
  parseConfig(
    {
      okta: { domain: 'bench.okta.com', credentialsSecret: { create: true }, rateLimitShare: share, ...okta },
      output: { bucket: { create: true }, prefix: 'okta', format: 'jsonl', compression: 'none' },
      flows: [
        { name: 'members-full', object: 'GroupMember', mode: 'full' },
        {
          name: 'members-inc',
          object: 'GroupMember',
          mode: 'incremental',
          deleteDetection: 'snapshot-diff',
          overlapSeconds: 0,
          firstExecutionFrom: '2000-01-01T00:00:00Z',
        },
      ],
    },
    'relations bench config',
  );

interface Recorder {
  readonly fetch: typeof fetch;
  readonly times: number[];
  readonly statuses: number[];
}

function recorder(): Recorder {
  const times: number[] = [];
  const statuses: number[] = [];
  const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    times.push(performance.now());
    statuses.push(response.status);
    return response;
  }) as typeof fetch;
  return { fetch: wrapped, times, statuses };
}

async function json(baseUrl: string, apiToken: string, path: string): Promise<{ body: unknown; next: string | null }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `SSWS ${apiToken}` } });
  const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
  return { body: await res.json(), next: next === null ? null : new URL(next).pathname + new URL(next).search };
}

/** Member counts of every group by id (expand=stats), read outside the measured runs. */
async function memberCounts(baseUrl: string, apiToken: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let path: string | null = '/api/v1/groups?limit=10000&expand=stats';
  while (path !== null) {
    const page: { body: unknown; next: string | null } = await json(baseUrl, apiToken, path);
    for (const g of page.body as { id: string; _embedded?: { stats?: { usersCount?: number } } }[]) {
      counts.set(g.id, g._embedded?.stats?.usersCount ?? 0);
    }
    path = page.next;
  }
  return counts;
}

async function run(
  flow: string,
  baseUrl: string,
  apiToken: string,
  dir: string,
  okta: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<{ requests: Recorder; records: number; deletes: number; seconds: number }> {
  const requests = recorder();
  const deps = localRunnerDeps({
    config: config(okta),
    okta: { kind: 'sandbox', baseUrl, apiToken },
    out: parseOut(dir, undefined),
    oktaClientOptions: { fetch: requests.fetch },
  });
  const started = performance.now();
  let records = 0;
  let deletes = 0;
  try {
    const result = await runFlow(flow, { kind: 'manual' }, deps, signal ? { signal } : {});
    records = result.completed.counts.records;
    deletes = result.completed.counts.deletes;
  } catch (error) {
    if (signal?.aborted !== true) throw error;
  }
  return { requests, records, deletes, seconds: (performance.now() - started) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'okta-flow-relations-bench-'));
let report: RelationsReport;
const open = await startSandboxProcess({ users, args: ['--groups', String(groups), '--no-rate-limits'] });
try {
  const { baseUrl, apiToken } = open.info;
  const byGroup = await memberCounts(baseUrl, apiToken);
  const counts = [...byGroup.values()];
  const memberPages = counts.filter((c) => c > 0).reduce((n, c) => n + Math.ceil(c / 1000), 0);
  const minimum = Math.ceil(counts.length / 1000) + memberPages;
  const minimumAtMaxPage = Math.ceil(counts.length / 10_000) + memberPages;
  console.error(`relations: full GroupMember, ${users} users, ${counts.length} groups…`);
  const full = await run('members-full', baseUrl, apiToken, join(dir, 'full'));
  console.error(`  ${full.requests.times.length} requests (minimum ${minimum}), ${full.records} pairs`);

  console.error('relations: incremental GroupMember…');
  await run('members-inc', baseUrl, apiToken, join(dir, 'inc'));
  const ids: string[] = [];
  let path: string | null = '/api/v1/groups?limit=10000&search=type%20eq%20%22OKTA_GROUP%22';
  while (path !== null) {
    const page: { body: unknown; next: string | null } = await json(baseUrl, apiToken, path);
    ids.push(...(page.body as { id: string }[]).map((g) => g.id));
    path = page.next;
  }
  const someUser = ((await json(baseUrl, apiToken, '/api/v1/users?limit=1')).body as { id: string }[])[0]?.id ?? '';
  const incremental: RelationsReport['incremental'][number][] = [];
  // The id listing of every group (which still exist), at Okta's largest group page.
  const idPages = Math.max(1, Math.ceil(counts.length / 10_000));
  for (const k of [0, ...ks]) {
    for (const id of ids.slice(0, k)) {
      await fetch(`${baseUrl}/__sandbox/admin/groups/${id}/users/${someUser}`, { method: 'PUT' });
    }
    // The watermark is the previous run's plan time: let the sandbox clock pass it.
    await new Promise((r) => setTimeout(r, 1100));
    const inc = await run('members-inc', baseUrl, apiToken, join(dir, 'inc'));
    const changed = ids.slice(0, k).map((id) => (byGroup.get(id) ?? 0) + 1);
    const minimumK = idPages + 1 + changed.reduce((n, c) => n + Math.ceil(c / 1000), 0);
    incremental.push({ k, requests: inc.requests.times.length, minimum: minimumK, records: inc.records });
    console.error(`  k=${k}: ${inc.requests.times.length} requests (minimum ${minimumK}), ${inc.records} pairs`);
    for (const id of ids.slice(0, k)) {
      await fetch(`${baseUrl}/__sandbox/admin/groups/${id}/users/${someUser}`, { method: 'DELETE' });
    }
    await new Promise((r) => setTimeout(r, 1100));
    await run('members-inc', baseUrl, apiToken, join(dir, 'inc'));
  }
  console.error('relations: a group deleted between incremental runs…');
  const victim = ids.find((id) => (byGroup.get(id) ?? 0) > 0) ?? '';
  await fetch(`${baseUrl}/__sandbox/admin/groups/${victim}`, { method: 'DELETE' });
  await new Promise((r) => setTimeout(r, 1100));
  const afterDelete = await run('members-inc', baseUrl, apiToken, join(dir, 'inc'));
  const groupDeleted = {
    members: byGroup.get(victim) ?? 0,
    requests: afterDelete.requests.times.length,
    minimum: idPages + 1,
    tombstones: afterDelete.deletes,
  };
  console.error(
    `  ${groupDeleted.requests} requests (minimum ${groupDeleted.minimum}), ${groupDeleted.tombstones} tombstones ` +
      `for ${groupDeleted.members} members`,
  );
  report = {
    users,
    groups: counts.length,
    groupDeleted,
    full: {
      requests: full.requests.times.length,
      minimum,
      minimumAtMaxPage,
      nonEmptyGroups: counts.filter((c) => c > 0).length,
      records: full.records,
      seconds: full.seconds,
    },
    incremental,
    rateShare: { share, allowedPerMinute: 0, perMinute: [], busiest60s: 0, throttled: 0, seconds: 0 },
  };
} finally {
  await open.stop();
}

const limited = await startSandboxProcess({
  users,
  args: ['--groups', String(groups), '--rate-limit', `groups=${GROUPS_BUCKET_PER_MINUTE}`],
});
try {
  console.error(`relations: rate share ${share} of groups=${GROUPS_BUCKET_PER_MINUTE}/min for ${rateSeconds} s…`);
  const { baseUrl, apiToken } = limited.info;
  const limitedRun = await run(
    'members-full',
    baseUrl,
    apiToken,
    join(dir, 'rate'),
    { maxConcurrency: 8 },
    AbortSignal.timeout(rateSeconds * 1000),
  );
  const times = limitedRun.requests.times;
  const first = times[0] ?? 0;
  const perMinute: number[] = [];
  for (const t of times) {
    const minute = Math.floor((t - first) / 60_000);
    while (perMinute.length <= minute) perMinute.push(0);
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
  }
  let busiest60s = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= 60_000) lo++;
    busiest60s = Math.max(busiest60s, hi - lo + 1);
  }
  report = {
    ...report,
    rateShare: {
      share,
      allowedPerMinute: Math.floor(GROUPS_BUCKET_PER_MINUTE * share),
      perMinute,
      busiest60s,
      throttled: limitedRun.requests.statuses.filter((s) => s === 429).length,
      seconds: limitedRun.seconds,
    },
  };
  console.error(
    `  per minute ${perMinute.join(', ')} (allowed ${report.rateShare.allowedPerMinute}), busiest 60 s ${busiest60s}, ` +
      `429s ${report.rateShare.throttled}`,
  );
} finally {
  await limited.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(writeResult('relations', report));
