/**
 * Benchmark of the sandbox alone (not a test): how fast it serves the users list and how much memory it holds.
 *
 *   npx tsx bench/sandbox.ts [--sizes 100000,1000000] [--limit 200] [--seed 42] [--max-pages N] [--passes 2]
 *   npx tsx bench/sandbox.ts --relations [--users 1000000] [--groups 10000] [--apps 1000] [--log-events 1000000]
 *                            [--member-pages 2000] [--log-pages 300]
 *
 * With `--relations` it measures the relation and System Log endpoints of one big org instead (the sandbox's issue
 * #14/#15 side): groups list with `expand=stats`, group members (`limit=1000`) of groups spread over the whole id
 * range, app users (`limit=500`), and System Log polling pages (`limit=1000`) over a generated history; RSS at
 * start and peak. Results go to bench/results/sandbox-relations-*.json.
 *
 * For each org size: start `sandbox/cli.ts` as a child process with rate limits off, record its startup time and
 * idle RSS, walk `GET /api/v1/users?limit=…` by following Link headers with plain fetch (one request at a time, as
 * a paginating client does), and sample the child's VmRSS / VmHWM from /proc. Writes bench/results/sandbox-*.json
 * and prints a markdown table.
 */
import { parseArgs } from 'node:util';
import { nextLink, walkPages } from './lib/link-pages.js';
import { markdownTable } from './lib/markdown-table.js';
import { writeResult } from './lib/results.js';
import { mib, readProcMemory, startRssSampler } from './lib/rss.js';
import { startSandboxProcess } from './lib/sandbox-process.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    limit: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
    'max-pages': { type: 'string' },
    passes: { type: 'string', default: '2' },
    // The sandbox CLI's switch for turning rate limits off (a benchmark must never wait on a 429).
    'no-rate-limits-flag': { type: 'string', default: '--no-rate-limits' },
    relations: { type: 'boolean', default: false },
    users: { type: 'string', default: '1000000' },
    groups: { type: 'string', default: '10000' },
    apps: { type: 'string', default: '1000' },
    'log-events': { type: 'string', default: '1000000' },
    'member-pages': { type: 'string', default: '2000' },
    'log-pages': { type: 'string', default: '300' },
  },
});

if (values.relations) {
  await benchRelations();
  process.exit(0);
}

const sizes = values.sizes.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
const limit = Number(values.limit);
const passes = Number(values.passes);
const maxPages = values['max-pages'] === undefined ? undefined : Number(values['max-pages']);
if (sizes.some((n) => !Number.isInteger(n) || n <= 0) || !Number.isInteger(limit) || !(passes >= 1)) {
  throw new Error('usage: --sizes 100000,1000000 --limit 200 --passes 1 (positive integers)');
}

interface SizeResult {
  users: number;
  startSeconds: number;
  idleRssMiB: number;
  pass: { pages: number; records: number; seconds: number; pagesPerSecond: number; recordsPerSecond: number }[];
  best: { pagesPerSecond: number; recordsPerSecond: number; mibPerSecond: number };
  peakRssMiB: number;
  hwmMiB: number;
}

const results: SizeResult[] = [];
for (const users of sizes) {
  console.error(`sandbox: generating an org of ${users.toLocaleString('en-US')} users…`);
  const sandbox = await startSandboxProcess({
    users,
    seed: Number(values.seed),
    args: [values['no-rate-limits-flag']],
  });
  try {
    const idle = readProcMemory(sandbox.pid);
    const sampler = startRssSampler(sandbox.pid);
    const headers = { Authorization: `SSWS ${sandbox.info.apiToken}`, Accept: 'application/json' };
    const url = `${sandbox.info.baseUrl}/api/v1/users?limit=${limit}`;
    const pass: SizeResult['pass'] = [];
    let bestBytesPerSecond = 0;
    for (let i = 0; i < passes; i++) {
      const walk = await walkPages(url, headers, { maxPages });
      const seconds = walk.ms / 1000;
      pass.push({
        pages: walk.pages,
        records: walk.records,
        seconds: round(seconds, 2),
        pagesPerSecond: round(walk.pages / seconds),
        recordsPerSecond: round(walk.records / seconds),
      });
      bestBytesPerSecond = Math.max(bestBytesPerSecond, walk.bytes / seconds);
      console.error(`  pass ${i + 1}: ${walk.pages} pages, ${walk.records} users in ${seconds.toFixed(1)} s`);
    }
    const memory = sampler.stop();
    results.push({
      users,
      startSeconds: round(sandbox.startMs / 1000, 2),
      idleRssMiB: mib(idle.rssKiB),
      pass,
      best: {
        pagesPerSecond: Math.max(...pass.map((p) => p.pagesPerSecond)),
        recordsPerSecond: Math.max(...pass.map((p) => p.recordsPerSecond)),
        mibPerSecond: round(bestBytesPerSecond / 2 ** 20, 1),
      },
      peakRssMiB: mib(memory.peakRssKiB),
      hwmMiB: mib(memory.hwmKiB),
    });
  } finally {
    await sandbox.stop();
  }
}

const file = writeResult('sandbox', { limit, passes, maxPages: maxPages ?? null, seed: Number(values.seed), results });
console.log(
  markdownTable(
    [
      'users',
      'start (s)',
      'idle RSS (MiB)',
      'pages',
      'pages/s (1st pass)',
      'pages/s (best)',
      'records/s (best)',
      'MiB/s',
      'peak RSS (MiB)',
      'VmHWM (MiB)',
    ],
    results.map((r) => [
      r.users,
      r.startSeconds,
      r.idleRssMiB,
      r.pass[0]?.pages ?? 0,
      r.pass[0]?.pagesPerSecond ?? 0,
      r.best.pagesPerSecond,
      r.best.recordsPerSecond,
      r.best.mibPerSecond,
      r.peakRssMiB,
      r.hwmMiB,
    ]),
  ),
);
console.log(`\nusers list, limit=${limit}, one request at a time, rate limits off; result: ${file}`);

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

interface PhaseResult {
  pages: number;
  records: number;
  seconds: number;
  pagesPerSecond: number;
  recordsPerSecond: number;
  mibPerSecond: number;
}

function phase(walk: { pages: number; records: number; bytes: number; ms: number }): PhaseResult {
  const seconds = walk.ms / 1000;
  return {
    pages: walk.pages,
    records: walk.records,
    seconds: round(seconds, 2),
    pagesPerSecond: round(walk.pages / seconds, 1),
    recordsPerSecond: round(walk.records / seconds),
    mibPerSecond: round(walk.bytes / seconds / 2 ** 20, 1),
  };
}

/** One org with relations and a System Log history: groups, members, app users, log polling; memory. */
async function benchRelations(): Promise<void> {
  const users = Number(values.users);
  const groups = Number(values.groups);
  const apps = Number(values.apps);
  const logEvents = Number(values['log-events']);
  const memberPages = Number(values['member-pages']);
  const logPages = Number(values['log-pages']);
  console.error(
    `sandbox relations: ${users.toLocaleString('en-US')} users, ${groups} groups, ${apps} apps, ${logEvents.toLocaleString('en-US')} log events`,
  );
  const sandbox = await startSandboxProcess({
    users,
    seed: Number(values.seed),
    args: [
      values['no-rate-limits-flag'],
      '--groups',
      String(groups),
      '--apps',
      String(apps),
      '--log-events',
      String(logEvents),
      '--clock-start',
      '2026-01-01T01:00:00.000Z',
      '--frozen-clock',
    ],
  });
  try {
    const idle = readProcMemory(sandbox.pid);
    const sampler = startRssSampler(sandbox.pid);
    const base = sandbox.info.baseUrl;
    const headers = { Authorization: `SSWS ${sandbox.info.apiToken}`, Accept: 'application/json' };
    const getJson = async (url: string): Promise<unknown> => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
      return response.json();
    };

    // Every group with its member count (what a GroupMember run reads first).
    const groupIds: { id: string; members: number }[] = [];
    const groupWalk = { pages: 0, records: 0, bytes: 0, ms: 0 };
    let next: string | null = `${base}/api/v1/groups?limit=200&expand=stats`;
    const started = performance.now();
    while (next !== null) {
      const response: Response = await fetch(next, { headers });
      const text = await response.text();
      const page = JSON.parse(text) as { id: string; _embedded: { stats: { usersCount: number } } }[];
      for (const g of page) groupIds.push({ id: g.id, members: g._embedded.stats.usersCount });
      groupWalk.pages++;
      groupWalk.records += page.length;
      groupWalk.bytes += Buffer.byteLength(text);
      next = nextLink(response.headers.get('link'));
    }
    groupWalk.ms = performance.now() - started;
    console.error(`  groups: ${groupWalk.pages} pages in ${(groupWalk.ms / 1000).toFixed(1)} s`);

    // Members of groups spread over the id range (Everyone excluded), until `memberPages` pages are read.
    const nonEmpty = groupIds.slice(1).filter((g) => g.members > 0);
    const expectedPages = nonEmpty.reduce((sum, g) => sum + Math.ceil(g.members / 1000), 0);
    const stride = Math.max(1, Math.floor(expectedPages / Math.max(1, memberPages)));
    const members = { pages: 0, records: 0, bytes: 0, ms: 0 };
    let groupsRead = 0;
    for (let k = 0; k < nonEmpty.length && members.pages < memberPages; k += stride) {
      const group = nonEmpty[k];
      if (!group) break;
      const walk = await walkPages(`${base}/api/v1/groups/${group.id}/users?limit=1000`, headers, {
        maxPages: memberPages - members.pages,
      });
      members.pages += walk.pages;
      members.records += walk.records;
      members.bytes += walk.bytes;
      members.ms += walk.ms;
      groupsRead++;
    }
    console.error(`  members: ${members.pages} pages of ${groupsRead} groups in ${(members.ms / 1000).toFixed(1)} s`);

    const appList = (await getJson(`${base}/api/v1/apps?limit=200`)) as { id: string }[];
    const appUsers = { pages: 0, records: 0, bytes: 0, ms: 0 };
    for (const app of appList.slice(0, 20)) {
      const walk = await walkPages(`${base}/api/v1/apps/${app.id}/users?limit=500`, headers, { maxPages: 20 });
      appUsers.pages += walk.pages;
      appUsers.records += walk.records;
      appUsers.bytes += walk.bytes;
      appUsers.ms += walk.ms;
    }
    console.error(`  app users: ${appUsers.pages} pages in ${(appUsers.ms / 1000).toFixed(1)} s`);

    // System Log polling from 89 days back: the next link never ends, so a page cap stops the walk.
    const since = encodeURIComponent('2025-10-04T00:00:00.000Z');
    const logs = await walkPages(`${base}/api/v1/logs?since=${since}&limit=1000`, headers, { maxPages: logPages });
    console.error(`  logs: ${logs.pages} pages in ${(logs.ms / 1000).toFixed(1)} s`);

    const memory = sampler.stop();
    const result = {
      users,
      groups,
      apps,
      logEvents,
      startSeconds: round(sandbox.startMs / 1000, 2),
      idleRssMiB: mib(idle.rssKiB),
      peakRssMiB: mib(memory.peakRssKiB),
      hwmMiB: mib(memory.hwmKiB),
      groupsList: phase(groupWalk),
      groupMembers: { ...phase(members), groupsRead, expectedPagesAllGroups: expectedPages },
      appUsers: phase(appUsers),
      logPolling: phase(logs),
    };
    const file = writeResult('sandbox-relations', { seed: Number(values.seed), result });
    console.log(
      markdownTable(
        ['endpoint', 'pages', 'records', 'pages/s', 'records/s', 'MiB/s'],
        [
          ['groups?expand=stats (limit 200)', result.groupsList],
          ['groups/{id}/users (limit 1000)', result.groupMembers],
          ['apps/{id}/users (limit 500)', result.appUsers],
          ['logs polling (limit 1000)', result.logPolling],
        ].map(([name, r]) => {
          const x = r as PhaseResult;
          return [String(name), x.pages, x.records, x.pagesPerSecond, x.recordsPerSecond, x.mibPerSecond];
        }),
      ),
    );
    console.log(
      `\norg: ${users} users, ${groups} groups, ${apps} apps, ${logEvents} log events; start ${result.startSeconds} s, ` +
        `RSS at start ${result.idleRssMiB} MiB, peak ${result.hwmMiB} MiB; ${expectedPages} member pages in all groups; result: ${file}`,
    );
  } finally {
    await sandbox.stop();
  }
}
