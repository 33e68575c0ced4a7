/**
 * Nested column fixtures shaped like the System Log event (issue #15) and a group's `objectClass` (issue #13):
 * structs with declared members, lists of scalars, lists of structs holding structs, timestamps and int64 inside
 * nested values, and every kind of null/absent/empty on the way.
 */
import type { FieldDef, MemberDef } from '../../../lambdas/okta/catalog/types.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';

function field(column: string, path: string[], type: FieldDef['type'], shape: Partial<FieldDef> = {}): FieldDef {
  return {
    column,
    label: column,
    path,
    type,
    operators: [],
    pushDown: {},
    aliases: [],
    sensitive: false,
    custom: false,
    description: '',
    ...shape,
  };
}

const m = (column: string, key: string, type: MemberDef['type'], shape: Partial<MemberDef> = {}): MemberDef => ({
  column,
  key,
  type,
  ...shape,
});

export const nestedFields: readonly FieldDef[] = [
  field('uuid', ['uuid'], 'String'),
  field('published', ['published'], 'DateTime'),
  field('object_class', ['objectClass'], 'List', { items: 'String' }),
  field('counts', ['counts'], 'List', { items: 'Long' }),
  field('seen', ['seen'], 'List', { items: 'DateTime' }),
  field('actor', ['actor'], 'Struct', {
    members: [
      m('id', 'id', 'String'),
      m('type', 'type', 'String'),
      m('alternate_id', 'alternateId', 'String'),
      m('display_name', 'displayName', 'String'),
      m('detail_entry', 'detailEntry', 'Map'),
    ],
  }),
  field('target', ['target'], 'List', {
    items: 'Struct',
    members: [m('id', 'id', 'String'), m('type', 'type', 'String'), m('display_name', 'displayName', 'String')],
  }),
  field('ip_chain', ['request', 'ipChain'], 'List', {
    items: 'Struct',
    members: [
      m('ip', 'ip', 'String'),
      m('version', 'version', 'String'),
      m('geographical_context', 'geographicalContext', 'Struct', {
        members: [
          m('city', 'city', 'String'),
          m('postal_code', 'postalCode', 'String'),
          m('geolocation', 'geolocation', 'Struct', {
            members: [m('lat', 'lat', 'Double'), m('lon', 'lon', 'Double')],
          }),
        ],
      }),
    ],
  }),
  field('tags', ['tags'], 'List'),
];

export function nestedRecords(): OktaRecord[] {
  return [
    {
      uuid: 'e1',
      published: '2024-05-01T12:00:00.123Z',
      objectClass: ['okta:user_group', 'okta:windows_security_principal'],
      counts: ['9007199254740993', 2],
      seen: ['2024-01-01T00:00:00.000Z', null],
      actor: {
        id: '00u1',
        type: 'User',
        alternateId: 'zoë@example.com',
        displayName: 'Zoë 李 🚀',
        detailEntry: { method: 'PASSWORD', nested: [1, { deep: true }] },
        extra: 'undeclared member',
      },
      target: [
        { id: '0oa1', type: 'AppInstance', displayName: 'Slack' },
        { id: '00g1', type: 'UserGroup', displayName: null },
      ],
      request: {
        ipChain: [
          {
            ip: '10.0.0.1',
            version: 'V4',
            geographicalContext: {
              city: 'Zürich',
              postalCode: '8001',
              geolocation: { lat: 47.3769, lon: 8.5417 },
            },
          },
          { ip: '2001:db8::1', version: 'V6', geographicalContext: null },
        ],
      },
      tags: ['a', { b: 1 }],
    },
    {
      // Empty lists stay empty (not null); absent struct members are null; a struct with nothing set is not null.
      uuid: 'e2',
      published: '2024-05-02T00:00:00.000Z',
      objectClass: [],
      counts: [],
      seen: [],
      actor: { id: '00u2' },
      target: [],
      request: { ipChain: [{ ip: '10.0.0.2' }] },
      tags: [],
    },
    {
      // Everything nested absent or null.
      uuid: 'e3',
      published: '2024-05-03T00:00:00.000Z',
      objectClass: null,
      actor: null,
      request: {},
    },
  ];
}
