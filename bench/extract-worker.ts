/**
 * One extraction variant in its own process (so its peak RSS is its own), run by bench/extract.ts — not a test.
 *
 *   node --import tsx bench/extract-worker.ts --variant plain|sdk|sequential|sliced --base-url URL --token T
 *     [--cap-seconds 300] [--slices 8] [--concurrency 4] [--share 0.5] [--page-limit 200]
 *
 * Every variant lists all users (`search=status pr`, every status, 200 per page) and stops by itself at the cap.
 * Prints one line `RESULT {json}` on stdout: records, pages, the timed milliseconds, the process's VmHWM, and per
 * request the second (since the first request) it finished in and its status, for the rate-limited run's
 * per-minute figures.
 */
import { parseArgs } from 'node:util';
import type { OktaClientObserver } from '../lambdas/okta/types.js';
import { CREATED_SPAN, VARIANTS, type Variant, type WorkerResult } from './lib/extract-variants.js';
import { nextLink } from './lib/link-pages.js';
import { readProcMemory } from './lib/rss.js';

interface Options {
  readonly variant: Variant;
  readonly baseUrl: string;
  readonly token: string;
  readonly capMs: number;
  readonly slices: number;
  readonly concurrency: number;
  readonly share: number;
  readonly pageLimit: number;
}

interface Tally {
  records: number;
  pages: number;
  firstRequestAt: number | null;
  statuses: Record<string, number>;
  waitsMs: Record<string, number>;
  perSecond: [number, number][];
}

/** The first request okta-flow's planner makes for all users (the plain loop starts there too). */
async function usersPath(pageLimit: number): Promise<string> {
  const { getObjectDef } = await import('../lambdas/okta/catalog/index.js');
  const { planQuery } = await import('../lambdas/okta/query/plan.js');
  return planQuery(getObjectDef('User'), null, { pageLimit }).path;
}

async function run(o: Options): Promise<WorkerResult> {
  // Each variant imports only what it uses, so no variant's RSS carries another's modules (the SDK is large).
  const modules = await loadModules(o.variant, o.pageLimit);
  const tally: Tally = { records: 0, pages: 0, firstRequestAt: null, statuses: {}, waitsMs: {}, perSecond: [] };
  const startRssKiB = readProcMemory(process.pid).rssKiB;
  const started = performance.now();
  const deadline = started + o.capMs;
  const overCap = () => performance.now() >= deadline;
  let complete = false;
  let note = '';

  if (modules.kind === 'plain') {
    // The ceiling: the very request okta-flow's planner makes, Link headers followed, JSON parsed, nothing else.
    const headers = { Authorization: `SSWS ${o.token}`, Accept: 'application/json' };
    let next: string | null = new URL(modules.path, o.baseUrl).href;
    while (next !== null) {
      if (overCap()) break;
      const response: Response = await fetch(next, { headers });
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${next} → ${response.status}: ${text.slice(0, 300)}`);
      const body: unknown = JSON.parse(text);
      if (!Array.isArray(body)) throw new Error(`GET ${next} did not return a JSON array`);
      tally.pages++;
      tally.records += body.length;
      next = body.length === 0 ? null : nextLink(response.headers.get('link'));
    }
    complete = next === null;
  } else if (modules.kind === 'sdk') {
    // What a user would otherwise write with the official SDK: list every status, iterate the collection.
    const client = new modules.Client({ orgUrl: o.baseUrl, token: o.token });
    const collection = await client.userApi.listUsers({ search: 'status pr', limit: o.pageLimit });
    complete = true;
    for await (const user of collection) {
      if (user === null) continue;
      tally.records++;
      if (tally.records % o.pageLimit === 0 && overCap()) {
        complete = false;
        break;
      }
    }
    tally.pages = Math.ceil(tally.records / o.pageLimit);
    note = 'pages = records / page size';
  } else {
    const { ApiTokenCredentials, createOktaClient, extract, extractSlices, planSlices, planQuery, users } = modules;
    const observer: OktaClientObserver = {
      onRequest({ status }) {
        const now = performance.now();
        tally.firstRequestAt ??= now;
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        const second = Math.floor((now - tally.firstRequestAt) / 1000);
        while (tally.perSecond.length <= second) tally.perSecond.push([0, 0]);
        const counts = tally.perSecond[second];
        if (counts !== undefined) counts[status === 429 ? 1 : 0]++;
      },
      onRateLimitWait({ waitMs, reason }) {
        tally.waitsMs[reason] = (tally.waitsMs[reason] ?? 0) + waitMs;
      },
    };
    const api = createOktaClient({
      domain: o.baseUrl,
      allowLoopback: true,
      credentials: new ApiTokenCredentials(o.token),
      rateLimitShare: o.share,
      observer,
    });
    const deps = { api, plan: planQuery };
    const request = { pageLimit: o.pageLimit };
    const pages =
      o.variant === 'sequential'
        ? extract(users, request, deps)
        : extractSlices(
            users,
            request,
            planSlices(users, undefined, { field: 'created', count: o.slices, ...CREATED_SPAN }),
            deps,
            { concurrency: o.concurrency },
          );
    complete = true;
    for await (const page of pages) {
      tally.pages++;
      tally.records += page.records.length;
      if (overCap()) {
        complete = false;
        break;
      }
    }
    note =
      o.variant === 'sliced'
        ? `${o.slices} slices on created, concurrency ${o.concurrency}, share ${o.share}`
        : `share ${o.share}`;
  }

  return {
    variant: o.variant,
    records: tally.records,
    pages: tally.pages,
    ms: performance.now() - started,
    complete,
    startRssKiB,
    hwmKiB: readProcMemory(process.pid).hwmKiB,
    statuses: tally.statuses,
    waitsMs: Object.fromEntries(Object.entries(tally.waitsMs).map(([k, v]) => [k, Math.round(v)])),
    perSecond: tally.perSecond,
    note,
  };
}

async function loadModules(variant: Variant, pageLimit: number) {
  if (variant === 'plain') return { kind: 'plain' as const, path: await usersPath(pageLimit) };
  if (variant === 'sdk') {
    const { Client } = await import('@okta/okta-sdk-nodejs');
    return { kind: 'sdk' as const, Client };
  }
  const [{ ApiTokenCredentials }, { getObjectDef }, { createOktaClient }, extraction, { planQuery }] =
    await Promise.all([
      import('../lambdas/okta/auth/index.js'),
      import('../lambdas/okta/catalog/index.js'),
      import('../lambdas/okta/client.js'),
      import('../lambdas/okta/extract/index.js'),
      import('../lambdas/okta/query/plan.js'),
    ]);
  return {
    kind: 'okta-flow' as const,
    ApiTokenCredentials,
    createOktaClient,
    planQuery,
    users: getObjectDef('User'),
    ...extraction,
  };
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string' },
      'base-url': { type: 'string' },
      token: { type: 'string' },
      'cap-seconds': { type: 'string', default: '300' },
      slices: { type: 'string', default: '8' },
      concurrency: { type: 'string', default: '4' },
      share: { type: 'string', default: '0.5' },
      'page-limit': { type: 'string', default: '200' },
    },
  });
  const variant = VARIANTS.find((v) => v === values.variant);
  if (variant === undefined) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`);
  if (values['base-url'] === undefined || values.token === undefined) throw new Error('--base-url and --token');
  return {
    variant,
    baseUrl: values['base-url'],
    token: values.token,
    capMs: Number(values['cap-seconds']) * 1000,
    slices: Number(values.slices),
    concurrency: Number(values.concurrency),
    share: Number(values.share),
    pageLimit: Number(values['page-limit']),
  };
}

const result = await run(parseOptions());
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
