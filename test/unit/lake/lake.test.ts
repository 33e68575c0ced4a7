/** The lake's pure parts: names, column unions and drift, table shapes per format, view SQL, Glue definitions. */
import { describe, expect, it } from 'vitest';
import { columnForType } from '../../../lambdas/lake/column-drift.js';
import { decodePrestoView, glueDefinitions, prestoViewText } from '../../../lambdas/lake/glue-definitions.js';
import {
  type LakeColumn,
  LakeColumnConflictError,
  mergeColumns,
  tableColumns,
} from '../../../lambdas/lake/lake-columns.js';
import { duckdbType, hiveType, trinoType, typeSuffix } from '../../../lambdas/lake/lake-types.js';
import { lakeTableNames } from '../../../lambdas/lake/table-names.js';
import { lakeViews } from '../../../lambdas/lake/views.js';
import { getObjectDef } from '../../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../../lambdas/okta/catalog/types.js';

const col = (name: string, path: string[], type: LakeColumn['type']): LakeColumn => ({ name, path, type });

describe('table names', () => {
  it.each([
    ['User', 'users', 'users_current', 'user_deletes', '_users_parts', '_user_deletes_parts', '_users_commits'],
    [
      'UserType',
      'user_types',
      'user_types_current',
      'user_type_deletes',
      '_user_types_parts',
      '_user_type_deletes_parts',
      '_user_types_commits',
    ],
    [
      'GroupMember',
      'group_members',
      'group_members_current',
      'group_member_deletes',
      '_group_members_parts',
      '_group_member_deletes_parts',
      '_group_members_commits',
    ],
  ])('%s', (object, history, current, deletes, parts, deletesParts, commits) => {
    expect(lakeTableNames(object)).toEqual({ history, current, deletes, parts, deletesParts, commits });
  });
});

describe('lake columns', () => {
  it('merging appends what is new, keeps first-seen order, and refuses a name with another type', () => {
    const a = [col('id', ['id'], 'string'), col('n', ['n'], 'int64')];
    expect(
      mergeColumns('User', a, [col('x', ['x'], 'boolean'), col('id', ['id'], 'string')]).map((c) => c.name),
    ).toEqual(['id', 'n', 'x']);
    expect(() => mergeColumns('User', a, [col('n', ['n'], 'string')])).toThrow(LakeColumnConflictError);
    expect(() => mergeColumns('User', a, [col('n', ['n'], 'string')])).toThrow(/committed as int64.*wrote string/);
  });

  it('a type change moves the attribute to <column>__<type>; the same type or a new column keeps the name', () => {
    const committed = [col('profile_level', ['profile', 'level'], 'int64')];
    expect(columnForType('profile_level', 'int64', committed)).toBe('profile_level');
    expect(columnForType('profile_level', 'string', committed)).toBe('profile_level__string');
    expect(columnForType('profile_level', { kind: 'list', element: 'int64' }, committed)).toBe(
      'profile_level__list_int64',
    );
    expect(columnForType('profile_new', 'double', committed)).toBe('profile_new');
  });

  it('JSONL tables nest by path, lower-case names, typed fields under a whole-subtree field, drift as text', () => {
    const columns = [
      col('id', ['id'], 'string'),
      col('last_updated', ['lastUpdated'], 'timestamp'),
      col('profile', ['profile'], 'json'),
      col('login', ['profile', 'login'], 'string'),
      col('profile_level', ['profile', 'level'], 'int64'),
      col('profile_level__string', ['profile', 'level'], 'string'),
    ];
    expect(tableColumns('jsonl', columns)).toEqual([
      { name: 'id', key: 'id', type: 'string' },
      { name: 'lastupdated', key: 'lastUpdated', type: 'timestamp' },
      {
        name: 'profile',
        key: 'profile',
        type: {
          kind: 'struct',
          fields: [
            { name: 'login', key: 'login', type: 'string' },
            { name: 'level', key: 'level', type: 'json' },
          ],
        },
      },
    ]);
    expect(tableColumns('parquet', columns).map((c) => c.name)).toEqual(columns.map((c) => c.name));
  });

  it('types in every dialect', () => {
    const nested = {
      kind: 'struct' as const,
      fields: [{ name: 'Tiers', key: 'Tiers', type: { kind: 'list' as const, element: 'int64' as const } }],
    };
    expect([hiveType(nested), trinoType(nested), duckdbType(nested)]).toEqual([
      'struct<tiers:array<bigint>>',
      'row(tiers array(bigint))',
      'STRUCT("Tiers" BIGINT[])',
    ]);
    expect(['string', 'int64', 'double', 'boolean', 'timestamp', 'json'].map((t) => trinoType(t as 'string'))).toEqual([
      'varchar',
      'bigint',
      'double',
      'boolean',
      'timestamp(3)',
      'varchar',
    ]);
    expect(typeSuffix(nested)).toBe('struct_tiers_list_int64');
  });
});

describe('view SQL', () => {
  const user = getObjectDef('User');
  const records = [
    col('id', ['id'], 'string'),
    col('status', ['status'], 'string'),
    col('last_updated', ['lastUpdated'], 'timestamp'),
  ];

  it('history and deletes read parts only through their run’s commit record', () => {
    const [history, deletes] = lakeViews({ def: user, format: 'parquet', records });
    expect(history?.sql).toBe(
      [
        'SELECT p."id", p."status", p."last_updated", p."dt" AS "dt", c."run_id" AS "run_id", c."flow" AS "flow", c."committed_at" AS "committed_at"',
        'FROM "_users_parts" AS p',
        `JOIN "_users_commits" AS c ON c."run_id" = regexp_extract(p."$path", '/run_id=([^/]+)/[^/]*$', 1)`,
      ].join('\n'),
    );
    expect(deletes?.sql).toContain('FROM "_user_deletes_parts" AS p');
    expect(history?.columns.map((c) => c.name)).toEqual([
      'id',
      'status',
      'last_updated',
      'dt',
      'run_id',
      'flow',
      'committed_at',
    ]);
  });

  it('current: latest by cursor then commit order per key, tombstones committed with that run or later win', () => {
    const current = lakeViews({ def: user, format: 'parquet', records }).at(-1);
    expect(current?.sql).toContain(
      'PARTITION BY h."id" ORDER BY h."last_updated" DESC NULLS LAST, h."committed_at" DESC, h."run_id" DESC',
    );
    expect(current?.sql).toContain(
      'd."id" = v."id"\n    AND (d."committed_at" > v."committed_at" OR (d."committed_at" = v."committed_at" AND d."run_id" >= v."run_id"))',
    );
    // Without the cursor among the columns, the commit order alone decides.
    const noCursor = lakeViews({ def: user, format: 'parquet', records: records.slice(0, 2) }).at(-1);
    expect(noCursor?.sql).toContain('ORDER BY h."committed_at" DESC, h."run_id" DESC)');
  });

  it('composite keys partition on every key column and match tombstones on the JSON array of the key', () => {
    const relation: ObjectDef = {
      ...user,
      name: 'GroupMember' as ObjectDef['name'],
      primaryKey: ['group_id', 'user_id'],
      cursorField: null,
      fields: [
        { ...user.fields[0], column: 'group_id', path: ['groupId'] } as ObjectDef['fields'][number],
        { ...user.fields[0], column: 'user_id', path: ['userId'] } as ObjectDef['fields'][number],
      ],
    };
    const current = lakeViews({
      def: relation,
      format: 'parquet',
      records: [col('group_id', ['groupId'], 'string'), col('user_id', ['userId'], 'string')],
    }).at(-1);
    expect(current?.sql).toContain(
      'PARTITION BY h."group_id", h."user_id" ORDER BY h."committed_at" DESC, h."run_id" DESC',
    );
    expect(current?.sql).toContain(
      `d."id" = '[' || '"' || v."group_id" || '"' || ',' || '"' || v."user_id" || '"' || ']'`,
    );
    expect(current?.sql).toContain('FROM "group_member_deletes" AS d');
  });
});

describe('Glue definitions', () => {
  const user = getObjectDef('User');
  const records = [
    col('id', ['id'], 'string'),
    col('last_updated', ['lastUpdated'], 'timestamp'),
    col('login', ['profile', 'login'], 'string'),
  ];

  it('JSONL: parts tables over the nested shape with the JSON SerDe; views carry the lake SQL', () => {
    const defs = glueDefinitions({
      databaseName: 'db',
      bucketName: 'b',
      prefix: 'okta',
      def: user,
      format: 'jsonl',
      firstDay: '2020-01-01',
      records,
    });
    const parts = defs.find((d) => d.name === '_users_parts');
    expect(parts?.storageDescriptor.columns).toEqual([
      { name: 'id', type: 'string' },
      { name: 'lastupdated', type: 'timestamp' },
      { name: 'profile', type: 'struct<login:string>' },
    ]);
    expect(parts?.storageDescriptor.serdeInfo.serializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(parts?.storageDescriptor.location).toBe('s3://b/okta/User/');
    expect(defs.find((d) => d.name === '_users_commits')?.storageDescriptor.location).toBe(
      's3://b/okta/_commits/User/',
    );
    const view = defs.find((d) => d.name === 'users_current');
    const decoded = decodePrestoView(String(view?.viewOriginalText));
    expect(decoded.originalSql).toBe(lakeViews({ def: user, format: 'jsonl', records }).at(-1)?.sql);
    expect(decoded.columns.find((c) => c.name === 'profile')?.type).toBe('row(login varchar)');
    expect(view?.storageDescriptor.columns.map((c) => c.name)).toEqual(decoded.columns.map((c) => c.name));
  });

  it('an empty prefix puts the tables at the bucket root', () => {
    const defs = glueDefinitions({
      databaseName: 'db',
      bucketName: 'b',
      prefix: '',
      def: user,
      format: 'parquet',
      firstDay: '2020-01-01',
      records,
    });
    expect(defs[0]?.storageDescriptor.location).toBe('s3://b/User/');
    expect(prestoViewText('SELECT 1', 'db', [])).toMatch(/^\/\* Presto View: [A-Za-z0-9+/=]+ \*\/$/);
  });
});

describe('struct columns', () => {
  const struct = {
    kind: 'struct' as const,
    fields: [{ name: 'ip_address', key: 'ipAddress', type: { kind: 'list' as const, element: 'string' as const } }],
  };
  const columns = [col('client', ['client'], struct)];

  it('Parquet files name struct fields by output name, JSONL files by Okta key; Glue lower-cases either', () => {
    const [parquet] = tableColumns('parquet', columns);
    const [jsonl] = tableColumns('jsonl', columns);
    expect([hiveType(parquet?.type ?? 'json'), duckdbType(parquet?.type ?? 'json')]).toEqual([
      'struct<ip_address:array<string>>',
      'STRUCT("ip_address" VARCHAR[])',
    ]);
    expect([hiveType(jsonl?.type ?? 'json'), duckdbType(jsonl?.type ?? 'json')]).toEqual([
      'struct<ipaddress:array<string>>',
      'STRUCT("ipAddress" VARCHAR[])',
    ]);
  });
});
