/**
 * `npm run bench`: the whole benchmark set, then BENCHMARKS.md rewritten with the figures — not a test.
 *
 *   npm run bench [-- --sizes 100000,1000000] [--quick] [--phases sandbox,extract,output,end-to-end,rate-share,relations,log-events] [--no-write]
 *     [--extract-cap-seconds 100] [--e2e-cap-seconds 200] [--output-records 100000] [--phase-cap-seconds N]
 *     [--from-results]
 *
 * Phases run one after another, each as its own process group with a time cap (killed, with its sandboxes and
 * workers, when it runs past it); each writes bench/results/<name>-<time>.json, which this script reads back.
 * `--from-results` only rewrites BENCHMARKS.md from the newest result of each phase. `--quick` is a smoke run on
 * 10k users (about 5 minutes). Run on a quiet machine: the sandbox, the client and the encoders share the CPU, so
 * anything else running skews every figure.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExtractReport } from './lib/extract-variants.js';
import { markdownTable } from './lib/markdown-table.js';
import { type EndToEndReport, renderEndToEnd } from './lib/render-end-to-end.js';
import { renderExtract } from './lib/render-extract.js';
import { REPO_ROOT } from './lib/sandbox-process.js';
import { type LogEventsReport, renderLogEvents } from './log-events-report.js';
import { type RateShareReport, renderRateShare } from './rate-share-report.js';
import { type RelationsReport, renderRelations } from './relations-report.js';

const PHASES = ['sandbox', 'extract', 'output', 'end-to-end', 'rate-share', 'relations', 'log-events'] as const;
type Phase = (typeof PHASES)[number];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    phases: { type: 'string', default: PHASES.join(',') },
    'no-write': { type: 'boolean', default: false },
    // Rewrite BENCHMARKS.md from the newest result of each phase, running nothing.
    'from-results': { type: 'boolean', default: false },
    'extract-cap-seconds': { type: 'string' },
    'e2e-cap-seconds': { type: 'string' },
    'output-records': { type: 'string' },
    // Override every phase's cap (seconds), e.g. to bound a whole run tightly.
    'phase-cap-seconds': { type: 'string' },
  },
});
const quick = values.quick;
const sizes = (values.sizes ?? (quick ? '10000' : '100000,1000000')).split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes: positive whole numbers');
const phases = values.phases.split(',').map((p) => {
  const phase = PHASES.find((known) => known === p.trim());
  if (phase === undefined) throw new Error(`unknown phase "${p}"; known: ${PHASES.join(', ')}`);
  return phase;
});
const extractCap = Number(values['extract-cap-seconds'] ?? (quick ? 60 : 100));
const e2eCap = Number(values['e2e-cap-seconds'] ?? (quick ? 120 : 200));
const outputRecords = Number(values['output-records'] ?? (quick ? 10_000 : 100_000));
const rateLimitedSeconds = quick ? 65 : 120;

interface PhasePlan {
  readonly phase: Phase;
  readonly script: string;
  readonly args: string[];
  /** Hard cap on the whole phase. */
  readonly capSeconds: number;
}

function plan(phase: Phase, extractResult: string | null): PhasePlan {
  const users = sizes.join(',');
  switch (phase) {
    case 'sandbox':
      // One pass per size, at most 2,500 pages (500k users): a full pass at 1M costs minutes and says little more.
      return {
        phase,
        script: 'bench/sandbox.ts',
        args: ['--sizes', users, '--passes', '1', '--max-pages', '2500'],
        capSeconds: 8 * 60,
      };
    case 'extract':
      return {
        phase,
        script: 'bench/extract.ts',
        args: [
          '--users',
          users,
          '--cap-seconds',
          String(extractCap),
          '--rate-limited-seconds',
          String(rateLimitedSeconds),
          '--rate-limited-users',
          String(quick ? 100_000 : 200_000),
          '--repeat',
          String(quick ? 2 : 1),
        ],
        capSeconds: sizes.length * 4 * (quick ? 2 : 1) * (extractCap + 30) + rateLimitedSeconds + 120,
      };
    case 'output':
      return {
        phase,
        script: 'bench/output.ts',
        args: ['--records', String(outputRecords), '--section', 'sinks'],
        capSeconds: quick ? 5 * 60 : 10 * 60,
      };
    case 'end-to-end':
      return {
        phase,
        script: 'bench/end-to-end.ts',
        args: [
          '--users',
          users,
          '--cap-seconds',
          String(e2eCap),
          '--rate-limited-users',
          String(quick ? 10_000 : 60_000),
          ...(extractResult === null ? [] : ['--baseline-from', extractResult]),
        ],
        capSeconds: sizes.length * 2 * (e2eCap + 30) + 6 * 60,
      };
    case 'rate-share':
      // The share as a ceiling for a whole run (issue 11): three runs of ~2 minutes each at 300 requests/min.
      return {
        phase,
        script: 'bench/rate-share.ts',
        args: ['--users', quick ? '40000' : '130000', '--cap-seconds', quick ? '60' : '200'],
        capSeconds: quick ? 5 * 60 : 15 * 60,
      };
    case 'relations':
      // Relations (issue 14): a full and incremental GroupMember runs, then ~2 minutes at the share.
      return {
        phase,
        script: 'bench/relations.ts',
        args: quick
          ? ['--users', '20000', '--groups', '300', '--rate-seconds', '70']
          : ['--users', '100000', '--groups', '1000'],
        capSeconds: quick ? 5 * 60 : 15 * 60,
      };
    case 'log-events':
      // The System Log stream (issue 15): ~3.5 minutes at the ceiling per size, 100k and 1M events.
      return {
        phase,
        script: 'bench/log-events.ts',
        args: quick
          ? ['--events', '20000', '--logs-limit', '60']
          : ['--events', '100000,1000000', '--logs-limit', '60,600'],
        capSeconds: quick ? 5 * 60 : 15 * 60,
      };
  }
}

interface PhaseOutcome {
  readonly phase: Phase;
  readonly seconds: number;
  readonly status: 'ok' | 'failed' | 'capped';
  readonly result: string | null;
}

/** Runs a phase in its own process group so a cap stops it and every sandbox/worker it started. */
function runPhase(p: PhasePlan): Promise<Omit<PhaseOutcome, 'result'>> {
  const started = performance.now();
  console.error(`\n=== ${p.phase}: ${p.script} ${p.args.join(' ')} (cap ${p.capSeconds} s)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', p.script, ...p.args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    let capped = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      capped = true;
      console.error(`=== ${p.phase}: past its ${p.capSeconds} s cap, stopping it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, p.capSeconds * 1000);
    // Ctrl-C on run-all stops the phase's group too.
    const onSignal = () => killGroup('SIGTERM');
    process.once('SIGINT', onSignal);
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      const seconds = Math.round((performance.now() - started) / 1000);
      resolve({ phase: p.phase, seconds, status: capped ? 'capped' : code === 0 ? 'ok' : 'failed' });
    });
  });
}

/** The newest bench/results/<name>-*.json written since `sinceMs`, or null. */
function newestResult(name: string, sinceMs: number): string | null {
  const dir = join(REPO_ROOT, 'bench/results');
  let best: { file: string; mtime: number } | null = null;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`${name}-`) || !entry.endsWith('.json')) continue;
    const file = join(dir, entry);
    const mtime = statSync(file).mtimeMs;
    if (mtime >= sinceMs && (best === null || mtime > best.mtime)) best = { file, mtime };
  }
  return best?.file ?? null;
}

const startedAt = new Date();
const machine = describeMachine();
const outcomes: PhaseOutcome[] = [];
let extractResult: string | null = null;
for (const phase of phases) {
  if (values['from-results']) {
    outcomes.push({ phase, seconds: 0, status: 'ok', result: newestResult(phase, 0) });
    continue;
  }
  const since = Date.now() - 1000;
  const planned = plan(phase, extractResult);
  const capOverride = values['phase-cap-seconds'];
  const outcome = await runPhase(capOverride === undefined ? planned : { ...planned, capSeconds: Number(capOverride) });
  const result = outcome.status === 'ok' ? newestResult(phase, since) : null;
  if (phase === 'extract') extractResult = result;
  outcomes.push({ ...outcome, result });
}

const markdown = renderBenchmarks();
if (values['no-write']) {
  console.log(markdown);
} else {
  writeFileSync(join(REPO_ROOT, 'BENCHMARKS.md'), markdown);
  console.error(
    `\nBENCHMARKS.md rewritten (${outcomes.map((o) => `${o.phase} ${o.status} ${o.seconds} s`).join(', ')})`,
  );
}
if (outcomes.some((o) => o.status !== 'ok')) process.exitCode = 1;

// ---------- the document ----------

function describeMachine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(cpuinfo)?.[1];
  return {
    cpuModel: model,
    cpuMHz: mhz === undefined ? null : Math.round(Number(mhz)),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function readJson<T>(file: string | null): T | null {
  if (file === null) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function relative(file: string | null): string {
  return file === null ? 'none' : file.replace(`${REPO_ROOT}/`, '');
}

interface SandboxBench {
  limit: number;
  maxPages: number | null;
  results: {
    users: number;
    startSeconds: number;
    idleRssMiB: number;
    pass: { pages: number; records: number; seconds: number; pagesPerSecond: number }[];
    best: { pagesPerSecond: number; recordsPerSecond: number; mibPerSecond: number };
    peakRssMiB: number;
    hwmMiB: number;
  }[];
}

function section(phase: Phase, title: string, body: (file: string) => string): string {
  const outcome = outcomes.find((o) => o.phase === phase);
  if (outcome === undefined) return `## ${title}\n\nNot run (\`--phases\`).\n`;
  if (outcome.status !== 'ok' || outcome.result === null) {
    return `## ${title}\n\n**${outcome.status}** after ${outcome.seconds} s (no result file). See the console output of \`npm run bench\`.\n`;
  }
  const took = values['from-results'] ? '' : `${outcome.seconds} s; `;
  return `## ${title}\n\n${body(outcome.result)}\n_${took}raw figures: \`${relative(outcome.result)}\`._\n`;
}

function renderBenchmarks(): string {
  const m = machine;
  const when = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const head = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run-all.ts) on ${when}; rewritten on every run.` +
      (quick ? ' **Quick smoke run on small orgs: not the reference figures.**' : ''),
    '',
    markdownTable(
      ['machine', ''],
      [
        ['CPU', `${m.cpuModel}${m.cpuMHz ? ` (${m.cpuMHz} MHz)` : ''}`],
        ['cores', String(m.cores)],
        ['memory', `${m.memoryGiB} GiB`],
        ['Node.js', m.node],
        ['OS', m.os],
        ['load average at start (1, 5, 15 min)', m.loadAverageAtStart.join(', ')],
        ['org sizes', sizes.map((n) => n.toLocaleString('en-US')).join(', ')],
        [
          'phases',
          values['from-results']
            ? 're-rendered from the newest saved results (`--from-results`)'
            : outcomes.map((o) => `${o.phase} ${o.status} (${o.seconds} s)`).join(', '),
        ],
      ],
    ),
    '',
    'Everything runs on this one machine: the sandbox org (its own process), the client under test (its own ' +
      'process per variant, so each peak RSS is its own) and, for output, s3rver. On 2 cores the sandbox and the ' +
      'client share the CPU, so client-side speed-ups (slicing) are bounded by how fast one sandbox process serves ' +
      'pages. "peak RSS" is the process VmHWM from /proc, including the Node.js + tsx baseline ("RSS at start").',
    '',
  ].join('\n');

  const sandbox = section('sandbox', 'Sandbox: pages served and memory (issue 2)', (file) => {
    const r = readJson<SandboxBench>(file);
    if (r === null) return 'Unreadable result.';
    return `${markdownTable(
      ['users', 'start s', 'idle RSS MiB', 'pages', 'pages/s', 'records/s', 'MiB/s', 'peak RSS MiB'],
      r.results.map((x) => [
        x.users,
        x.startSeconds,
        x.idleRssMiB,
        x.pass[0]?.pages ?? 0,
        x.best.pagesPerSecond,
        x.best.recordsPerSecond,
        x.best.mibPerSecond,
        x.hwmMiB,
      ]),
    )}\n\n\`GET /api/v1/users?limit=${r.limit}\` followed by Link headers with plain fetch, one request at a time, rate limits off${r.maxPages ? `; at most ${r.maxPages.toLocaleString('en-US')} pages per org` : ''}.\n`;
  });

  const extract = section('extract', 'Extraction vs baselines (issue 3)', (file) => {
    const r = readJson<ExtractReport>(file);
    return r === null ? 'Unreadable result.' : `${renderExtract(r)}\n`;
  });

  const output = section('output', 'Output: encode + upload per format (issue 4)', (file) => {
    const r = readJson<{ markdown?: string }>(file);
    const text = r?.markdown ?? 'Unreadable result.';
    // The output bench's own headings are h1/h2; nest them under this section.
    return `${text.replace(/^(#{1,4}) /gm, '$1## ')}\n\n${outputRecords.toLocaleString('en-US')} records per format (\`bench/output.ts --section sinks\`; 1M-user Parquet is in the end-to-end section).\n`;
  });

  const e2e = section('end-to-end', 'End to end: `okta-flow run` (issues 4 and 5)', (file) => {
    const r = readJson<EndToEndReport>(file);
    return r === null ? 'Unreadable result.' : `${renderEndToEnd(r)}\n`;
  });

  const rateShare = section('rate-share', 'Rate-limit share as a ceiling for a whole run (issue 11)', (file) => {
    const r = readJson<RateShareReport>(file);
    return r === null ? 'Unreadable result.' : `${renderRateShare(r)}\n`;
  });

  const relations = section('relations', 'Relations: GroupMember requests and rate share (issue 14)', (file) => {
    const r = readJson<RelationsReport>(file);
    return r === null ? 'Unreadable result.' : `${renderRelations(r)}\n`;
  });
  const logEvents = section(
    'log-events',
    'The System Log as a stream: LogEvent at the logs bucket ceiling (issue 15)',
    (file) => {
      const r = readJson<LogEventsReport>(file);
      return r === null ? 'Unreadable result.' : `${renderLogEvents(r)}\n`;
    },
  );

  const reproduce = [
    '## How to reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench                          # the whole set, 100k and 1M users (~25 min on 2 quiet cores)',
    'npm run bench -- --quick               # smoke run on 10k users (~5 min)',
    'npm run bench -- --sizes 100000 --phases extract,end-to-end',
    'npx tsx bench/sandbox.ts --sizes 100000 # one phase alone; each script documents its flags in its header',
    'npx tsx bench/extract.ts --users 100000 --variants plain,sequential --rate-limited-seconds 0',
    'npx tsx bench/end-to-end.ts --users 100000',
    'npx tsx bench/output.ts --records 100000 --section sinks',
    'npx tsx bench/rate-share.ts --users 130000  # the share as a ceiling: sliced, resumed and sequential runs',
    'npx tsx bench/relations.ts --users 100000 --groups 1000  # GroupMember: requests vs minimum, incremental, share',
    'npx tsx bench/log-events.ts --events 100000,1000000 --logs-limit 60,600  # LogEvent at the logs ceiling',
    '```',
    '',
    `Caps: each extraction variant stops by itself after ${extractCap} s and each end-to-end run after ${e2eCap} s ` +
      '(rows marked "(cap)": throughput over what was read so far); every phase is also killed, with its ' +
      'sandboxes and workers, if it runs past its phase cap. Raw JSON goes to `bench/results/`. Close other work ' +
      'first: the load average above says how quiet the machine was.',
    '',
  ].join('\n');

  return [head, sandbox, extract, output, e2e, rateShare, relations, logEvents, reproduce].join('\n');
}
