/** Glue table shapes per output format, from catalog fields (pure; no synth). */
import { describe, expect, it } from 'vitest';
import { getObjectDef, resolveField } from '../../lambdas/okta/catalog/index.js';
import type { FieldDef } from '../../lambdas/okta/catalog/types.js';
import { glueStorageShape, glueTypeOf, nestedColumns } from '../../lib/glue-columns.js';
import { databaseNameOf, tableFields, tableNameOf } from '../../lib/glue-tables.js';
import { nestedFields } from '../unit/output/nested-fixtures.js';

const user = getObjectDef('User');
const field = (name: string): FieldDef => {
  const f = resolveField(user, name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};

describe('glueStorageShape', () => {
  const fields = ['id', 'status', 'last_updated', 'department', 'login'].map(field);

  it('parquet: catalog columns by name (profile.login is username), timestamps as timestamp, Parquet SerDe', () => {
    const shape = glueStorageShape(fields, 'parquet');
    expect(shape.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:string',
      'status:string',
      'last_updated:timestamp',
      'department:string',
      'username:string',
    ]);
    expect(shape.serializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(shape.inputFormat).toContain('MapredParquetInputFormat');
  });

  it('csv: OpenCSVSerde with quotes, header skipped, ISO timestamps as string', () => {
    const shape = glueStorageShape(fields, 'csv');
    expect(shape.columns.find((c) => c.name === 'last_updated')?.type).toBe('string');
    expect(shape.serializationLibrary).toBe('org.apache.hadoop.hive.serde2.OpenCSVSerde');
    expect(shape.serdeParameters).toMatchObject({ separatorChar: ',', quoteChar: '"' });
    expect(shape.tableParameters['skip.header.line.count']).toBe('1');
  });

  it('jsonl: Okta nesting as struct columns, keys matched case-insensitively', () => {
    const shape = glueStorageShape(fields, 'jsonl');
    expect(shape.columns).toEqual([
      { name: 'id', type: 'string' },
      { name: 'status', type: 'string' },
      { name: 'lastupdated', type: 'timestamp' },
      { name: 'profile', type: 'struct<department:string,login:string>' },
    ]);
    expect(shape.serializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(shape.serdeParameters['case.insensitive']).toBe('true');
  });

  it('Struct, List and Map fields are JSON text (string) in every format', () => {
    const nested = user.fields.filter((f) => f.type === 'Struct' || f.type === 'List' || f.type === 'Map');
    expect(nested.length).toBeGreaterThan(0);
    for (const format of ['parquet', 'csv'] as const) {
      for (const c of glueStorageShape(nested, format).columns) expect(c.type, `${format} ${c.name}`).toBe('string');
    }
  });
});

describe('typed lists and structs', () => {
  const byName = (format: 'parquet' | 'csv' | 'jsonl') =>
    Object.fromEntries(glueStorageShape(nestedFields, format).columns.map((c) => [c.name, c.type]));

  it('parquet: array<…> and struct<…> over member output names, nested to any depth', () => {
    expect(byName('parquet')).toMatchObject({
      object_class: 'array<string>',
      counts: 'array<bigint>',
      seen: 'array<timestamp>',
      actor: 'struct<id:string,type:string,alternate_id:string,display_name:string,detail_entry:string>',
      target: 'array<struct<id:string,type:string,display_name:string>>',
      ip_chain:
        'array<struct<ip:string,version:string,geographical_context:struct<city:string,postal_code:string,' +
        'geolocation:struct<lat:double,lon:double>>>>',
      tags: 'string',
    });
  });

  it('jsonl: the same shapes over Okta’s keys, lowercased for the case-insensitive SerDe', () => {
    const columns = Object.fromEntries(nestedColumns(nestedFields).map((c) => [c.name, c.type]));
    expect(columns).toMatchObject({
      objectclass: 'array<string>',
      actor: 'struct<id:string,type:string,alternateid:string,displayname:string,detailentry:string>',
      request:
        'struct<ipchain:array<struct<ip:string,version:string,geographicalcontext:struct<city:string,' +
        'postalcode:string,geolocation:struct<lat:double,lon:double>>>>>',
    });
  });

  it('csv: every nested column is JSON text', () => {
    const columns = byName('csv');
    for (const name of ['object_class', 'counts', 'seen', 'actor', 'target', 'ip_chain', 'tags']) {
      expect(columns[name], name).toBe('string');
    }
  });

  it('the catalog group objectClass is array<string> in Parquet', () => {
    const group = getObjectDef('Group');
    const objectClass = resolveField(group, 'object_class');
    expect(objectClass).toBeDefined();
    expect(glueStorageShape(objectClass ? [objectClass] : [], 'parquet').columns[0]?.type).toBe('array<string>');
    expect(glueTypeOf({ kind: 'list', element: 'timestamp' })).toBe('array<timestamp>');
  });
});

describe('nestedColumns', () => {
  const f = (path: string[], type: FieldDef['type']): FieldDef => ({
    column: path.join('_'),
    label: path.join(' '),
    path,
    type,
    operators: [],
    pushDown: {},
    aliases: [],
    sensitive: false,
    custom: false,
    description: '',
  });

  it('a whole-subtree field covers narrower fields under it, in either order', () => {
    expect(nestedColumns([f(['profile'], 'Struct'), f(['profile', 'login'], 'String')])).toEqual([
      { name: 'profile', type: 'string' },
    ]);
    expect(nestedColumns([f(['profile', 'login'], 'String'), f(['profile'], 'Struct')])).toEqual([
      { name: 'profile', type: 'string' },
    ]);
  });

  it('renders deep nesting', () => {
    expect(nestedColumns([f(['a', 'b', 'c'], 'Long'), f(['a', 'd'], 'Boolean')])).toEqual([
      { name: 'a', type: 'struct<b:struct<c:bigint>,d:boolean>' },
    ]);
  });
});

describe('names and fields', () => {
  it('table and database names', () => {
    expect(tableNameOf('UserType')).toBe('user_types');
    expect(tableNameOf('Application')).toBe('applications');
    expect(tableNameOf('Group')).toBe('groups');
    expect(databaseNameOf('OktaFlow-Prod')).toBe('oktaflow_prod');
  });

  it('table fields: the union over flows of one object, in catalog order, sensitive defaults excluded', () => {
    const app = getObjectDef('Application');
    const flows = [{ fields: ['status', 'id'] }, { fields: ['label', 'id'] }] as unknown as Parameters<
      typeof tableFields
    >[1];
    expect(tableFields(app, flows).map((x) => x.column)).toEqual(['id', 'label', 'status']);
    const all = tableFields(user, [{}] as unknown as Parameters<typeof tableFields>[1]);
    expect(all.some((x) => x.sensitive)).toBe(false);
    expect(all.length).toBeGreaterThan(20);
  });
});
