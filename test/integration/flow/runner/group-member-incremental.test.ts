/**
 * Incremental GroupMember, as a sequence test: random membership changes (adds, removals, groups emptied) between
 * incremental runs; each run re-reads only the groups whose lastMembershipUpdated moved (requests ∝ changed groups),
 * turns removed pairs into tombstones by the per-group snapshot diff, and after every run the lake's
 * `group_members_current` (incremental runs + tombstones) equals the full membership the sandbox's API lists. A group
 * deleted between incremental runs is found by the run's id listing of every group and its pairs are tombstoned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../../bin/commands/query.js';
import { runFlow } from '../../../../lambdas/flow/runner/run-flow.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { DAY, frozenSandbox, type Harness, harness, testConfig } from './harness.js';

const FLOW = {
  name: 'members-inc',
  object: 'GroupMember',
  mode: 'incremental',
  deleteDetection: 'snapshot-diff',
  firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 20 * 365 * DAY).toISOString(),
};

let sandbox: Sandbox;
let h: Harness;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 120, groups: 24 });
  h = harness(sandbox, testConfig([FLOW], { format: 'parquet', compression: 'snappy' }));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

async function api(path: string): Promise<OktaRecord[]> {
  const out: OktaRecord[] = [];
  let url: string | null = `${sandbox.baseUrl}${path}`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    out.push(...((await res.json()) as OktaRecord[]));
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
  }
  return out;
}

async function truth(): Promise<string[]> {
  const pairs: string[] = [];
  for (const g of await api('/api/v1/groups?limit=200')) {
    for (const u of await api(`/api/v1/groups/${String(g.id)}/users?limit=1000`)) pairs.push(`${g.id}/${u.id}`);
  }
  return pairs.sort();
}

async function lake(): Promise<string[]> {
  const lines: string[] = [];
  const sql = 'SELECT group_id, user_id FROM group_members_current';
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  return lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((r) => `${String(r.group_id)}/${String(r.user_id)}`)
    .sort();
}

/** A small deterministic PRNG (mulberry32) so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('incremental GroupMember', () => {
  it('incremental runs plus tombstones equal the full membership after random changes; cost ∝ changed groups', async () => {
    const first = await runFlow('members-inc', { kind: 'manual' }, h.deps());
    expect(first.completed.counts.records).toBeGreaterThan(0);
    expect(await lake()).toEqual(await truth());

    const random = rng(14);
    const users = (await api('/api/v1/users?limit=200')).map((u) => String(u.id));
    const groups = (await api('/api/v1/groups?limit=200'))
      .filter((g) => g.type === 'OKTA_GROUP')
      .map((g) => String(g.id));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let removedTotal = 0;
    for (let round = 0; round < 5; round++) {
      const changed = new Set<string>();
      const removed = new Set<string>();
      const k = 1 + Math.floor(random() * 3);
      while (changed.size < k) {
        const g = pick(groups);
        changed.add(g);
        const members = (await api(`/api/v1/groups/${g}/users?limit=1000`)).map((u) => String(u.id));
        const action = round === 2 && changed.size === 1 ? 'empty' : random() < 0.5 ? 'add' : 'remove';
        if (action === 'empty') {
          for (const u of members) sandbox.admin.removeGroupMember(g, u);
          for (const u of members) removed.add(`${g}/${u}`);
        } else if (action === 'remove' && members.length > 0) {
          const u = pick(members);
          sandbox.admin.removeGroupMember(g, u);
          removed.add(`${g}/${u}`);
        } else {
          sandbox.admin.addGroupMember(g, pick(users));
        }
      }
      sandbox.clock.advance(10 * 60_000);
      const before = sandbox.stats().requests;
      const run = await runFlow('members-inc', { kind: 'manual' }, h.deps());
      const requests = sandbox.stats().requests - before;
      // one id page of every group (limit=10000: which still exist) + one groups page (filter=lastMembershipUpdated
      // …) + one member page per changed non-empty group + the run's own bookkeeping reads; never a re-read of the
      // unchanged groups
      expect(requests, `round ${round}`).toBeLessThanOrEqual(2 + changed.size + 2);
      expect(run.completed.counts.deletes, `round ${round}`).toBe(removed.size);
      removedTotal += removed.size;
      expect(await lake(), `round ${round}`).toEqual(await truth());
    }
    expect(removedTotal).toBeGreaterThan(0);
  });

  it('a group deleted between incremental runs loses its pairs at the next incremental run', async () => {
    await runFlow('members-inc', { kind: 'manual' }, h.deps());
    const okta = (await api('/api/v1/groups?limit=200')).filter((g) => g.type === 'OKTA_GROUP');
    let victim: string | undefined;
    let members: string[] = [];
    for (const g of okta) {
      members = (await api(`/api/v1/groups/${String(g.id)}/users?limit=1000`)).map((u) => String(u.id));
      if (members.length > 0) {
        victim = String(g.id);
        break;
      }
    }
    expect(victim).toBeDefined();
    const inLake = (await lake()).filter((pair) => pair.startsWith(`${victim}/`));
    expect(inLake.length).toBe(members.length);
    sandbox.admin.deleteGroup(victim as string);
    sandbox.clock.advance(10 * 60_000);
    const before = sandbox.stats().requests;
    const run = await runFlow('members-inc', { kind: 'manual' }, h.deps());
    const requests = sandbox.stats().requests - before;
    expect(run.completed.counts.deletes).toBe(members.length);
    // the id page that found the group gone + the (empty) changed-groups page + bookkeeping reads
    expect(requests).toBeLessThanOrEqual(2 + 2);
    const now = await lake();
    expect(now.filter((pair) => pair.startsWith(`${victim}/`))).toEqual([]);
    expect(now).toEqual(await truth());
  });
});
