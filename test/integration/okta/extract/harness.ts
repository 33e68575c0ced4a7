/** A sandbox org plus a real okta-flow client and planner, and helpers to compare extractions with ground truth. */
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/index.js';
import type { ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { createOktaClient, type OktaClient, type OktaClientOptions } from '../../../../lambdas/okta/client.js';
import type { ExtractDeps, ExtractPage } from '../../../../lambdas/okta/extract/index.js';
import { planQuery } from '../../../../lambdas/okta/query/plan.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS, type OrgObject } from '../../../../sandbox/org/index.js';

const HIGH = 10_000_000;
const HIGH_LIMITS = { apps: HIGH, groups: HIGH, users: HIGH, devices: HIGH, logs: HIGH, api: HIGH, other: HIGH };

export interface Harness {
  readonly sandbox: Sandbox;
  readonly client: OktaClient;
  readonly deps: ExtractDeps;
  /** Every live record of an object, as the org serializes it. */
  truth(object: OrgObject): OktaRecord[];
  close(): Promise<void>;
}

/** The sandbox collection of each listed object (LogEvent is a stream: see test/integration/okta/extract/log-stream*). */
export const ORG_OBJECT: Readonly<Record<Exclude<ObjectDef['name'], 'LogEvent'>, OrgObject>> = {
  User: 'users',
  Group: 'groups',
  Application: 'apps',
  Device: 'devices',
  UserType: 'userTypes',
};

export async function startHarness(
  options: SandboxOptions = {},
  clientOptions: Partial<Omit<OktaClientOptions, 'domain' | 'credentials'>> = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    users: 1200,
    seed: 7,
    // Limits far above what a test uses: the client's governor paces to the advertised limit, so the published
    // defaults (600/min) would make these tests crawl; rate limiting itself is tested with the client.
    rateLimits: { limits: HIGH_LIMITS },
    // A stopped clock after the org's generation time: data stays put while we compare.
    clock: { startMs: DEFAULT_EPOCH_MS + 3_600_000, running: false },
    ...options,
  });
  const client = createOktaClient({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    credentials: new ApiTokenCredentials(sandbox.apiToken),
    ...clientOptions,
  });
  return {
    sandbox,
    client,
    deps: { api: client, plan: planQuery },
    truth: (object) => [...sandbox.org.all(object)],
    close: () => sandbox.close(),
  };
}

export async function collectPages(gen: AsyncGenerator<ExtractPage>): Promise<ExtractPage[]> {
  const pages: ExtractPage[] = [];
  for await (const p of gen) pages.push(JSON.parse(JSON.stringify(p)) as ExtractPage);
  return pages;
}

export const idsOf = (records: readonly OktaRecord[]): string[] => records.map((r) => String(r.id));
export const pageIds = (pages: readonly ExtractPage[]): string[] => pages.flatMap((p) => idsOf(p.records));
export const sorted = (ids: readonly string[]): string[] => [...ids].sort();
