import { describe, expect, it } from 'vitest';
import {
  defaultFields,
  getObjectDef,
  getValue,
  isQueryParameterField,
  keyFields,
  listObjectDefs,
  recordKey,
  resolveField,
  UnknownObjectError,
} from '../../../../lambdas/okta/catalog/index.js';
import type { FieldDef, ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { OKTA_OBJECT_NAMES } from '../../../../lambdas/okta/catalog/types.js';

function col(def: ObjectDef, column: string): FieldDef {
  const f = def.fields.find((x) => x.column === column);
  if (f === undefined) throw new Error(`no column ${column} on ${def.name}`);
  return f;
}

describe('primary keys', () => {
  const user = getObjectDef('User');
  // A composite-key object as relations will have: (group_id, user_id).
  const membership: ObjectDef = {
    ...getObjectDef('Group'),
    primaryKey: ['id', 'type'],
  };

  it('keys a record by its id, or by the JSON array of a composite key', () => {
    expect(keyFields(user).map((f) => f.column)).toEqual(['id']);
    expect(recordKey(user, { id: '00u1' })).toBe('00u1');
    expect(recordKey(membership, { id: '00g1', type: 'OKTA_GROUP' })).toBe('["00g1","OKTA_GROUP"]');
  });

  it('refuses records whose key is missing, null, empty or not a scalar', () => {
    for (const record of [{}, { id: null }, { id: '' }, { id: { nested: 1 } }, { id: Number.NaN }]) {
      expect(recordKey(user, record)).toBeUndefined();
    }
    expect(recordKey(membership, { id: '00g1' })).toBeUndefined();
  });

  it('says which key column is not a field', () => {
    expect(() => keyFields({ ...user, primaryKey: ['nope'] })).toThrow(/key column nope/);
  });
});

describe('catalog structure', () => {
  it('has exactly the catalog objects, found by name case-insensitively', () => {
    expect(listObjectDefs().map((d) => d.name)).toEqual([...OKTA_OBJECT_NAMES]);
    expect(getObjectDef('user').name).toBe('User');
    expect(getObjectDef('USERTYPE').name).toBe('UserType');
    expect(() => getObjectDef('Role')).toThrow(UnknownObjectError);
  });

  it.each(listObjectDefs().map((d) => [d.name, d] as const))('%s: names are unique and well-formed', (_n, def) => {
    const columns = def.fields.map((f) => f.column);
    expect(new Set(columns).size).toBe(columns.length);
    const labels = def.fields.map((f) => f.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const f of def.fields) {
      expect(f.column).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(f.path.length).toBeGreaterThan(0);
      // every name a field answers to resolves back to it
      for (const name of [f.column, f.label, ...f.aliases]) expect(resolveField(def, name)).toBe(f);
      // push-down only for operators the field offers
      for (const op of Object.keys(f.pushDown)) expect(f.operators).toContain(op);
      if (f.type === 'Struct') expect(f.operators).toEqual([]);
    }
    // Directory objects are keyed by id, relations by (parent id, child id), System Log events by uuid.
    expect(def.primaryKey).toEqual(
      def.source?.kind === 'children'
        ? [expect.any(String), expect.any(String)]
        : def.source?.kind === 'stream'
          ? ['uuid']
          : ['id'],
    );
    for (const key of def.primaryKey) expect(columns).toContain(key);
    if (def.cursorField !== null) expect(col(def, def.cursorField).type).toBe('DateTime');
    for (const s of def.sliceFields) expect(col(def, s).type).toBe('DateTime');
  });

  it('cursor and slice fields push a lower and upper bound down to search', () => {
    // A stream's cursor is Okta's polling link, not a filter (`published` cannot be filtered on).
    for (const def of listObjectDefs().filter((d) => d.source?.kind !== 'stream')) {
      for (const c of [...def.sliceFields, ...(def.cursorField === null ? [] : [def.cursorField])]) {
        // a relation's cursor is a parent column: it bounds the parent scan, which pushes it down
        const source = def.source?.kind === 'children' ? def.source : undefined;
        const parentColumn = source?.parentFields[c];
        const pd =
          source === undefined
            ? col(def, c).pushDown
            : col(getObjectDef(source.parent), parentColumn ?? `${c} is not a parent column`).pushDown;
        expect(pd.GREATER_THAN ?? pd.GREATER_THAN_OR_EQUAL_TO, `${def.name}.${c}`).toContain('search');
        expect(pd.LESS_THAN, `${def.name}.${c}`).toContain('search');
      }
    }
  });

  it('declares cursors and slices per object', () => {
    expect(getObjectDef('User').cursorField).toBe('last_updated');
    expect(getObjectDef('User').sliceFields).toEqual(['created', 'last_updated']);
    expect(getObjectDef('Group').cursorField).toBe('last_updated');
    expect(getObjectDef('Device').sliceFields).toEqual(['last_updated']);
    expect(getObjectDef('Application').cursorField).toBeNull();
    expect(getObjectDef('Application').sliceFields).toEqual([]);
    expect(getObjectDef('UserType').cursorField).toBeNull();
    expect(getObjectDef('UserType').pageLimit).toBeNull();
    expect(getObjectDef('User').pageLimit).toBe(200);
  });
});

describe('push-down matches what Okta evaluates', () => {
  const users = getObjectDef('User');
  it('users: filter only on status/lastUpdated/id/login/email/firstName/lastName; co only on four names', () => {
    const filterable = users.fields.filter((f) => Object.values(f.pushDown).some((t) => t?.includes('filter')));
    expect(filterable.map((f) => f.column).sort()).toEqual(
      ['email', 'first_name', 'id', 'last_name', 'last_updated', 'status', 'username'].sort(),
    );
    const co = users.fields.filter((f) => f.pushDown.CONTAINS !== undefined);
    expect(co.map((f) => f.column).sort()).toEqual(['email', 'first_name', 'last_name', 'username']);
    expect(col(users, 'last_updated').pushDown.GREATER_THAN_OR_EQUAL_TO).toEqual(['search', 'filter']);
    expect(col(users, 'created').pushDown.GREATER_THAN_OR_EQUAL_TO).toEqual(['search']);
    expect(col(users, 'department').pushDown.EQUAL_TO).toEqual(['search']);
  });
  it('never pushes NOT_EQUAL_TO down (Okta has no ne)', () => {
    for (const def of listObjectDefs()) for (const f of def.fields) expect(f.pushDown.NOT_EQUAL_TO).toBeUndefined();
  });
  it('users: lastLogin, passwordChanged and transitioningToStatus are residual only', () => {
    for (const c of ['last_login', 'password_changed', 'transitioning_to_status']) {
      expect(col(users, c).pushDown).toEqual({});
      expect(col(users, c).operators.length).toBeGreaterThan(0);
    }
  });
  it('apps: only a single eq through filter on id/status/name/kid/user/group', () => {
    const apps = getObjectDef('Application');
    const pushed = apps.fields.filter((f) => Object.keys(f.pushDown).length > 0);
    expect(pushed.map((f) => f.column).sort()).toEqual(
      ['credentials_signing_kid', 'group_id', 'id', 'name', 'status', 'user_id'].sort(),
    );
    for (const f of pushed) expect(f.pushDown).toEqual({ EQUAL_TO: ['filter'] });
    expect(col(apps, 'last_updated').pushDown).toEqual({});
  });
  it('devices: search only, co on the six documented attributes', () => {
    const devices = getObjectDef('Device');
    for (const f of devices.fields) for (const t of Object.values(f.pushDown)) expect(t).toEqual(['search']);
    const co = devices.fields.filter((f) => f.pushDown.CONTAINS !== undefined).map((f) => f.column);
    expect(co.sort()).toEqual(['display_name', 'imei', 'macos_udid', 'meid', 'serial_number', 'windows_sid']);
    expect(col(devices, 'created').pushDown).toEqual({});
  });
  it('groups: date gt/lt (no ge/le) in search, filter on id/type/dates only', () => {
    const groups = getObjectDef('Group');
    expect(col(groups, 'created').pushDown.GREATER_THAN).toEqual(['search']);
    expect(col(groups, 'created').pushDown.GREATER_THAN_OR_EQUAL_TO).toBeUndefined();
    expect(col(groups, 'last_updated').pushDown.LESS_THAN).toEqual(['search', 'filter']);
    const filterable = groups.fields.filter((f) => Object.values(f.pushDown).some((t) => t?.includes('filter')));
    expect(filterable.map((f) => f.column).sort()).toEqual(['id', 'last_membership_updated', 'last_updated', 'type']);
    const co = groups.fields.filter((f) => f.pushDown.CONTAINS !== undefined).map((f) => f.column);
    expect(co.sort()).toEqual(['description', 'name']);
  });
  it('user types: everything residual', () => {
    for (const f of getObjectDef('UserType').fields) expect(f.pushDown).toEqual({});
  });
});

describe('resolveField', () => {
  const users = getObjectDef('User');
  it('resolves columns, dotted paths, Okta names and labels', () => {
    expect(resolveField(users, 'department')?.column).toBe('department');
    expect(resolveField(users, 'profile.department')?.column).toBe('department');
    expect(resolveField(users, 'profile.login')?.column).toBe('username');
    expect(resolveField(users, 'login')?.column).toBe('username');
    expect(resolveField(users, 'lastUpdated')?.column).toBe('last_updated');
    expect(resolveField(users, 'Last Updated')?.column).toBe('last_updated');
    expect(resolveField(users, 'type.id')?.column).toBe('type_id');
    expect(resolveField(users, 'firstName')?.column).toBe('first_name');
    expect(resolveField(getObjectDef('Group'), 'profile.name')?.column).toBe('name');
    expect(resolveField(getObjectDef('UserType'), 'default')?.column).toBe('is_default');
  });
  it('is case-insensitive on columns and labels only', () => {
    expect(resolveField(users, 'LAST_UPDATED')?.column).toBe('last_updated');
    expect(resolveField(users, 'zip code')?.column).toBe('zip_code');
    expect(resolveField(users, 'PROFILE.DEPARTMENT')).toBeUndefined();
    expect(resolveField(users, 'nope')).toBeUndefined();
  });
});

describe('sensitive fields and defaults', () => {
  it('marks credentials and secrets sensitive and leaves them out of the defaults', () => {
    const apps = getObjectDef('Application');
    for (const c of ['credentials', 'credentials_oauth_client_secret', 'credentials_password']) {
      expect(col(apps, c).sensitive).toBe(true);
    }
    const users = getObjectDef('User');
    for (const c of ['credentials', 'credentials_password', 'credentials_recovery_question']) {
      expect(col(users, c).sensitive).toBe(true);
    }
    for (const def of listObjectDefs()) {
      const defaults = defaultFields(def);
      expect(defaults.some((f) => f.sensitive)).toBe(false);
      expect(defaults.length).toBe(def.fields.filter((f) => !f.sensitive && !isQueryParameterField(def, f)).length);
      for (const key of def.primaryKey) expect(defaults.map((f) => f.column)).toContain(key);
    }
    expect(defaultFields(apps).map((f) => f.column)).not.toContain('group_id');
    expect(defaultFields(apps).map((f) => f.column)).toContain('credentials_signing_kid');
  });
});

describe('getValue', () => {
  const users = getObjectDef('User');
  const record = {
    id: '00u1',
    lastLogin: null,
    profile: { department: 'R&D', login: 'a@example.com' },
    type: { id: 'oty1' },
  };
  it('reads nested paths, keeps null, and is undefined for absent attributes', () => {
    expect(getValue(record, col(users, 'department'))).toBe('R&D');
    expect(getValue(record, col(users, 'type_id'))).toBe('oty1');
    expect(getValue(record, col(users, 'last_login'))).toBeNull();
    expect(getValue(record, col(users, 'city'))).toBeUndefined();
    expect(getValue({ profile: 'x' }, col(users, 'city'))).toBeUndefined();
  });
  it('derives a group source id from its source link', () => {
    const groups = getObjectDef('Group');
    const g = { id: '00g1', _links: { source: { href: 'https://acme.okta.com/api/v1/apps/0oaSRC' } } };
    expect(getValue(g, col(groups, 'source_id'))).toBe('0oaSRC');
    expect(getValue({ id: '00g2', source: { id: '0oaX' } }, col(groups, 'source_id'))).toBe('0oaX');
    expect(getValue({ id: '00g3' }, col(groups, 'source_id'))).toBeUndefined();
  });
});
