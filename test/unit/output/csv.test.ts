import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { columnsFromFields } from '../../../lambdas/output/columns.js';
import { createCsvEncoder } from '../../../lambdas/output/encoders/csv.js';
import { fixtureUsers, ONE_MB_STRING, userFields } from './fixtures.js';
import { nestedFields, nestedRecords } from './nested-fixtures.js';

const columns = columnsFromFields(userFields);

function encodeAll(nullValue?: string): string {
  const encoder = createCsvEncoder(columns, { nullValue });
  const chunks = [
    ...encoder.encode(fixtureUsers().slice(0, 1)),
    ...encoder.encode(fixtureUsers().slice(1)),
    ...encoder.finish(),
  ];
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV encoder', () => {
  it('writes an RFC 4180 file that csv-parse reads back record for record', () => {
    const text = encodeAll();
    const rows: string[][] = parse(text, { relax_column_count: false });
    expect(rows[0]).toEqual(columns.map((c) => c.name));
    expect(rows).toHaveLength(4);
    const [first, second, third] = rows.slice(1).map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]])));
    expect(first).toMatchObject({
      id: '00u1',
      created: '2024-01-02T03:04:05.678Z',
      first_name: 'Zoë 李 🚀',
      department: 'R&D, "Labs"\nline two',
      employee_number: '9007199254740993',
      score: '0.1',
      is_contractor: 'false',
    });
    expect(JSON.parse(first?.credentials_provider ?? '')).toEqual({ type: 'OKTA', name: 'OKTA' });
    expect(JSON.parse(first?.cost_centers ?? '')).toEqual(['cc-1', 'cc-2']);
    expect(second?.description).toBe(ONE_MB_STRING);
    expect(second?.score).toBe('-1.5e+300');
    expect(third?.last_login).toBe('');
    expect(JSON.parse(third?.type ?? '')).toEqual({ id: 'oty1', extra: { nested: [1, { deep: true }] } });
  });

  it('uses CRLF record separators and keeps null distinct from the empty string', () => {
    const text = encodeAll();
    expect(text.split('\r\n')[0]).toBe(columns.map((c) => c.name).join(','));
    // Row 2: first_name null → empty unquoted; department '' → "".
    expect(text).toContain(',nulls@example.com,,"",');
  });

  it('writes the configured null representation', () => {
    const rows: string[][] = parse(encodeAll('\\N'));
    const lastLogin = columns.findIndex((c) => c.name === 'last_login');
    expect(rows[2]?.[lastLogin]).toBe('\\N');
    expect(rows[1]?.[lastLogin]).toBe('2025-06-30T23:59:59.999Z');
  });

  it('writes a header even for an empty file', () => {
    const encoder = createCsvEncoder(columns);
    expect(Buffer.concat(encoder.finish()).toString()).toBe(`${columns.map((c) => c.name).join(',')}\r\n`);
  });
});

describe('CSV encoder, nested columns', () => {
  it('writes typed lists and structs as one JSON text field each, in Okta shape', () => {
    const nested = columnsFromFields(nestedFields);
    const encoder = createCsvEncoder(nested);
    const text = Buffer.concat([...encoder.encode(nestedRecords()), ...encoder.finish()]).toString('utf8');
    const rows: string[][] = parse(text);
    expect(rows).toHaveLength(4);
    const first = Object.fromEntries(nested.map((c, i) => [c.name, rows[1]?.[i]]));
    expect(JSON.parse(first.object_class ?? '')).toEqual(['okta:user_group', 'okta:windows_security_principal']);
    expect(first.counts).toBe('[9007199254740993,2]');
    expect(JSON.parse(first.target ?? '')).toEqual([
      { id: '0oa1', type: 'AppInstance', displayName: 'Slack' },
      { id: '00g1', type: 'UserGroup' },
    ]);
    expect(JSON.parse(first.ip_chain ?? '')[0].geographicalContext.geolocation).toEqual({ lat: 47.3769, lon: 8.5417 });
    const third = Object.fromEntries(nested.map((c, i) => [c.name, rows[3]?.[i]]));
    expect(third.actor).toBe('');
    expect(rows[2]?.[nested.findIndex((c) => c.name === 'target')]).toBe('[]');
  });
});
