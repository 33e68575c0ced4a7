import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { columnsFromFields } from '../../../lambdas/output/columns.js';
import { createCsvEncoder } from '../../../lambdas/output/encoders/csv.js';
import { fixtureUsers, ONE_MB_STRING, userFields } from './fixtures.js';

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
