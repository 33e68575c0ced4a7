/** Typed lists and structs, nested: the column model, normalization, and the JSON text CSV writes. */
import { describe, expect, it } from 'vitest';
import {
  type ColumnSpec,
  cellToJson,
  columnsFromFields,
  describeType,
  physicalTypeOf,
  toCell,
} from '../../../lambdas/output/columns.js';
import { ColumnValueError } from '../../../lambdas/output/errors.js';
import { nestedFields, nestedRecords } from './nested-fixtures.js';

const columns = columnsFromFields(nestedFields);
const column = (name: string): ColumnSpec => {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};
const cellsOf = (record: Record<string, unknown>, name: string) => {
  const c = column(name);
  let raw: unknown = record;
  for (const step of c.path) raw = (raw as Record<string, unknown> | undefined)?.[step];
  return toCell(c, raw);
};

describe('nested physical types', () => {
  it('maps List+items to typed lists, Struct+members to structs, and the rest to JSON text', () => {
    expect(columns.map((c) => [c.name, describeType(c.type)])).toEqual([
      ['uuid', 'string'],
      ['published', 'timestamp'],
      ['object_class', 'list<string>'],
      ['counts', 'list<int64>'],
      ['seen', 'list<timestamp>'],
      ['actor', 'struct<id:string,type:string,alternate_id:string,display_name:string,detail_entry:json>'],
      ['target', 'list<struct<id:string,type:string,display_name:string>>'],
      [
        'ip_chain',
        'list<struct<ip:string,version:string,geographical_context:struct<city:string,postal_code:string,' +
          'geolocation:struct<lat:double,lon:double>>>>',
      ],
      ['tags', 'json'],
    ]);
    const actor = column('actor').type;
    expect(typeof actor === 'object' && actor.kind === 'struct' ? actor.fields[2] : undefined).toEqual({
      name: 'alternate_id',
      key: 'alternateId',
      type: 'string',
    });
    expect(column('ip_chain').path).toEqual(['request', 'ipChain']);
  });

  it('keeps shapes it cannot type as JSON text', () => {
    expect(physicalTypeOf('List')).toBe('json');
    expect(physicalTypeOf('List', { items: 'Map' })).toBe('json');
    expect(physicalTypeOf('List', { items: 'Struct' })).toBe('json');
    expect(physicalTypeOf('Struct')).toBe('json');
    expect(physicalTypeOf('Map')).toBe('json');
    expect(physicalTypeOf('List', { items: 'Integer' })).toEqual({ kind: 'list', element: 'int64' });
  });

  it('normalizes nested values member by member, keyed by output name', () => {
    const [first, second, third] = nestedRecords() as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(cellsOf(first, 'counts')).toEqual([9007199254740993n, 2n]);
    expect(cellsOf(first, 'seen')).toEqual([Date.UTC(2024, 0, 1), null]);
    expect(cellsOf(first, 'actor')).toEqual({
      id: '00u1',
      type: 'User',
      alternate_id: 'zoë@example.com',
      display_name: 'Zoë 李 🚀',
      detail_entry: '{"method":"PASSWORD","nested":[1,{"deep":true}]}',
    });
    expect(cellsOf(first, 'ip_chain')).toEqual([
      {
        ip: '10.0.0.1',
        version: 'V4',
        geographical_context: { city: 'Zürich', postal_code: '8001', geolocation: { lat: 47.3769, lon: 8.5417 } },
      },
      { ip: '2001:db8::1', version: 'V6', geographical_context: null },
    ]);
    expect(cellsOf(second, 'target')).toEqual([]);
    expect(cellsOf(second, 'actor')).toEqual({
      id: '00u2',
      type: null,
      alternate_id: null,
      display_name: null,
      detail_entry: null,
    });
    expect(cellsOf(third, 'actor')).toBeNull();
    expect(cellsOf(third, 'object_class')).toBeNull();
    expect(cellsOf(third, 'ip_chain')).toBeNull();
  });

  it('refuses a value of the wrong shape, naming the column and where inside it', () => {
    expect(() => toCell(column('target'), { id: 'x' })).toThrow(ColumnValueError);
    expect(() => toCell(column('actor'), ['x'])).toThrow(/Column "actor" \(struct\) got a array/);
    expect(() => toCell(column('counts'), [1, 1.5])).toThrow(/Column "counts" \(int64 at \[1\]\)/);
    expect(() => toCell(column('ip_chain'), [{ geographicalContext: { geolocation: { lat: 'north' } } }])).toThrow(
      /\(double at \[0\]\.geographicalContext\.geolocation\.lat\)/,
    );
  });

  it('renders nested cells as JSON text in Okta shape (keys, ISO timestamps, exact int64)', () => {
    const [first] = nestedRecords() as [Record<string, unknown>];
    const json = (name: string) => cellToJson(column(name).type, cellsOf(first, name));
    expect(json('counts')).toBe('[9007199254740993,2]');
    expect(JSON.parse(json('seen'))).toEqual(['2024-01-01T00:00:00.000Z', null]);
    expect(JSON.parse(json('actor'))).toEqual({
      id: '00u1',
      type: 'User',
      alternateId: 'zoë@example.com',
      displayName: 'Zoë 李 🚀',
      detailEntry: { method: 'PASSWORD', nested: [1, { deep: true }] },
    });
    expect(JSON.parse(json('ip_chain'))[0].geographicalContext.postalCode).toBe('8001');
  });
});
