/**
 * Benchmark of the sandbox alone (not a test): how fast it serves the users list and how much memory it holds.
 *
 *   npx tsx bench/sandbox.ts [--sizes 100000,1000000] [--limit 200] [--seed 42] [--max-pages N] [--passes 2]
 *
 * For each org size: start `sandbox/cli.ts` as a child process with rate limits off, record its startup time and
 * idle RSS, walk `GET /api/v1/users?limit=…` by following Link headers with plain fetch (one request at a time, as
 * a paginating client does), and sample the child's VmRSS / VmHWM from /proc. Writes bench/results/sandbox-*.json
 * and prints a markdown table.
 */
import { parseArgs } from 'node:util';
import { walkPages } from './lib/link-pages.js';
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
  },
});

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
