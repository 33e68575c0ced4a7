/** Per-user-type profile schemas: shared and type-only custom attributes, one type conflict, runtime changes. */
import { describe, expect, it } from 'vitest';
import { testOrg } from './helpers.js';

type Schema = {
  lastUpdated: string;
  definitions: { custom: { properties: Record<string, { type: string; items?: { type: string } }> } };
};

function customOf(t: ReturnType<typeof testOrg>, schemaId: string): Record<string, string> {
  const result = t.get(`/api/v1/meta/schemas/user/${schemaId}`);
  if (result.kind !== 'item') throw new Error(`no schema ${schemaId}`);
  const props = (result.body as Schema).definitions.custom.properties;
  return Object.fromEntries(
    Object.entries(props).map(([name, p]) => [name, p.items ? `${p.type}<${p.items.type}>` : p.type]),
  );
}

function schemaIdOf(type: Record<string, unknown>): string {
  const href = (type._links as { schema: { href: string } }).schema.href;
  return href.slice(href.lastIndexOf('/') + 1);
}

describe('user type schemas', () => {
  it('each type has the shared attributes plus its own; badgeNumber differs in type between two of them', () => {
    const t = testOrg(60);
    const types = t.list('/api/v1/meta/types/user').items;
    const byName = Object.fromEntries(types.map((type) => [String(type.name), customOf(t, schemaIdOf(type))]));
    const shared = {
      githubHandle: 'string',
      fteRatio: 'number',
      isContractor: 'boolean',
      clearanceLevel: 'integer',
      skills: 'array<string>',
    };
    expect(byName.user).toEqual(shared);
    expect(byName.contractor).toEqual({
      ...shared,
      contractorAgency: 'string',
      accessTiers: 'array<integer>',
      badgeNumber: 'string',
    });
    expect(byName.serviceAccount).toEqual({
      ...shared,
      ownerTeam: 'string',
      rotationDays: 'integer',
      badgeNumber: 'integer',
    });
  });

  it('users of a type carry values of that type’s own attributes, typed as its schema says', () => {
    const t = testOrg(400);
    const [, contractor, service] = t.org.userTypes.typeIds;
    const users = [...t.org.all('users')];
    const ofType = (id: string | undefined) => users.filter((u) => (u.type as { id: string }).id === id);
    const contractors = ofType(contractor).map((u) => u.profile as Record<string, unknown>);
    const services = ofType(service).map((u) => u.profile as Record<string, unknown>);
    expect(contractors.length).toBeGreaterThan(0);
    expect(services.length).toBeGreaterThan(0);
    for (const p of contractors) {
      expect(typeof p.badgeNumber).toBe('string');
      expect(p.ownerTeam).toBeUndefined();
      if (Array.isArray(p.accessTiers)) for (const tier of p.accessTiers) expect(Number.isInteger(tier)).toBe(true);
    }
    for (const p of services) {
      expect(typeof p.badgeNumber).toBe('number');
      expect(p.contractorAgency).toBeUndefined();
    }
    expect(contractors.some((p) => typeof p.contractorAgency === 'string')).toBe(true);
    expect(services.some((p) => typeof p.rotationDays === 'number')).toBe(true);
    const defaults = ofType(t.org.userTypes.typeIds[0]).map((u) => u.profile as Record<string, unknown>);
    expect(defaults.every((p) => p.badgeNumber === undefined)).toBe(true);
  });

  it('schemas change at run time: an attribute added, retyped and removed; profile updates follow the schema', () => {
    const t = testOrg(30);
    const before = customOf(t, 'default');
    const at = t.clock.now();
    t.org.userTypes.defineAttribute({ name: 'costCode', type: 'string', title: 'Cost code' }, at, ['user']);
    expect(customOf(t, 'default')).toEqual({ ...before, costCode: 'string' });
    const user = String([...t.org.all('users')][5]?.id);
    expect(() => t.org.admin.updateUser(user, { costCode: 'CC-7' })).not.toThrow();

    t.org.userTypes.defineAttribute({ name: 'costCode', type: 'integer', title: 'Cost code' }, at + 1, ['user']);
    expect(customOf(t, 'default').costCode).toBe('integer');
    expect(() => t.org.admin.updateUser(user, { costCode: 'CC-7' })).toThrow(/does not match the schema type/);
    expect(() => t.org.admin.updateUser(user, { costCode: 7 })).not.toThrow();

    t.org.userTypes.removeAttribute('costCode', at + 2);
    expect(customOf(t, 'default')).toEqual(before);
    expect(() => t.org.admin.updateUser(user, { costCode: 8 })).toThrow(/not defined in the user profile schema/);
    const schema = t.get('/api/v1/meta/schemas/user/default');
    expect(schema.kind === 'item' && (schema.body as Schema).lastUpdated).toBe(new Date(at + 2).toISOString());
  });
});
