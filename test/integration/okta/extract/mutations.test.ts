/**
 * The org changes while a scan runs. With the window fixed at plan time ([…, planTime)), every record that existed
 * unchanged throughout is read exactly once; records changed mid-run move past the window (the next incremental run
 * takes them) and deleted ones simply vanish — no duplicates, no errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { extract } from '../../../../lambdas/okta/extract/index.js';
import { type Harness, idsOf, sorted, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 400, groups: 60 });
});
afterAll(async () => {
  await h?.close();
});

describe('a scan while the org changes', () => {
  it('users: updated, created and deleted mid-run', async () => {
    const users = getObjectDef('User');
    const window = { to: new Date(h.sandbox.clock.now()).toISOString() };
    const before = h.truth('users');
    const got: string[] = [];
    let changed: string[] = [];
    let pages = 0;
    for await (const page of extract(users, { window, pageLimit: 30 }, h.deps)) {
      got.push(...idsOf(page.records));
      if (++pages !== 2) continue;
      h.sandbox.clock.advance(1000);
      const last = got.at(-1) ?? '';
      const read = got[0] ?? '';
      const ahead = sorted(idsOf(before)).filter((id) => id > last);
      const [update, deprovision] = ahead;
      if (update === undefined || deprovision === undefined) throw new Error('org too small');
      h.sandbox.admin.updateUser(update, { title: 'Changed mid-run' });
      h.sandbox.admin.updateUser(read, { title: 'Changed after it was read' });
      h.sandbox.admin.deleteUser(deprovision); // deactivates: lastUpdated moves past the window
      h.sandbox.admin.createUser({
        profile: { login: 'new.user@example.com', email: 'new.user@example.com', firstName: 'New', lastName: 'User' },
      });
      changed = [update, deprovision];
    }
    expect(pages).toBeGreaterThan(3);
    expect(new Set(got).size).toBe(got.length);
    const want = idsOf(before.filter((r) => String(r.lastUpdated) < window.to)).filter((id) => !changed.includes(id));
    expect(sorted(got)).toEqual(sorted(want));
  });

  it('groups: a group deleted before it is read is absent; the scan does not fail', async () => {
    const groups = getObjectDef('Group');
    const before = h.truth('groups');
    const got: string[] = [];
    let deleted = '';
    let pages = 0;
    for await (const page of extract(groups, { pageLimit: 10 }, h.deps)) {
      got.push(...idsOf(page.records));
      if (++pages !== 1) continue;
      const last = got.at(-1) ?? '';
      deleted =
        sorted(idsOf(before)).find((id) => id > last && before.find((g) => g.id === id)?.type === 'OKTA_GROUP') ?? '';
      h.sandbox.admin.deleteGroup(deleted);
    }
    expect(deleted).not.toBe('');
    expect(new Set(got).size).toBe(got.length);
    expect(sorted(got)).toEqual(sorted(idsOf(before).filter((id) => id !== deleted)));
  });
});
