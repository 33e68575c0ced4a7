import { describe, expect, it } from 'vitest';
import { columnsFromFields } from '../../../lambdas/output/columns.js';
import { createJsonlEncoder, projectRecord } from '../../../lambdas/output/encoders/jsonl.js';
import { fixtureUsers, userFields } from './fixtures.js';

describe('JSONL encoder', () => {
  const columns = columnsFromFields(userFields);

  it('writes one projected record per line in Okta nested shape', () => {
    const encoder = createJsonlEncoder(columns);
    const text = Buffer.concat([...encoder.encode(fixtureUsers()), ...encoder.finish()]).toString('utf8');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    const [first, second, third] = fixtureUsers();
    // Unselected fields (_links, credentials.password) are dropped; the rest is exactly Okta's.
    expect(records[0]).toEqual({
      id: '00u1',
      status: 'ACTIVE',
      created: first?.created,
      lastLogin: first?.lastLogin,
      profile: first?.profile,
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      type: { id: 'oty1' },
    });
    expect(records[1].lastLogin).toBeNull();
    expect(records[1].profile).toEqual(second?.profile);
    expect(records[2]).toEqual({
      id: '00u3',
      status: 'STAGED',
      created: third?.created,
      profile: { login: 'absent@example.com', firstName: 'Ånne' },
      type: third?.type,
    });
    expect('lastLogin' in records[2]).toBe(false);
  });

  it('does not mutate the source when a parent and a child path are both selected', () => {
    const record = { profile: { a: 1, b: { c: 2 } } };
    const projected = projectRecord(record, [
      { name: 'profile', path: ['profile'], type: 'json' },
      { name: 'c', path: ['profile', 'b', 'c'], type: 'int64' },
    ]);
    expect(projected).toEqual({ profile: { a: 1, b: { c: 2 } } });
    expect(record).toEqual({ profile: { a: 1, b: { c: 2 } } });
  });
});
