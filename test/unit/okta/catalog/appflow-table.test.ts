/**
 * Every field of the AppFlow Okta connector's table (issue 3 §3) exists in the catalog with its type and at least
 * the table's operators.
 */
import { describe, expect, it } from 'vitest';
import { getObjectDef, resolveField } from '../../../../lambdas/okta/catalog/index.js';
import type { AppFlowDataType, FilterOperator, OktaObjectName } from '../../../../lambdas/okta/catalog/types.js';

const EQ: FilterOperator[] = ['EQUAL_TO'];
const DATES: FilterOperator[] = [
  'EQUAL_TO',
  'NOT_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL_TO',
];

interface Row {
  label: string;
  type?: AppFlowDataType;
  ops?: FilterOperator[];
}

/**
 * The AppFlow Okta connector's own objects: it has no relation objects and no System Log entity (LogEvent is
 * okta-flow's own, test/unit/okta/catalog/log-event.test.ts).
 */
const TABLE: Partial<Record<OktaObjectName, Row[]>> = {
  Application: [
    { label: 'Accessibility', type: 'Struct' },
    { label: 'Created', type: 'DateTime' },
    { label: 'Credentials', type: 'Struct' },
    { label: 'Credentials Signing Key ID', ops: EQ },
    { label: 'Embedded', type: 'Struct' },
    { label: 'Features', type: 'List' },
    { label: 'Group ID', ops: EQ },
    { label: 'ID' },
    { label: 'Label' },
    { label: 'Last Updated', type: 'DateTime' },
    { label: 'Links', type: 'Struct' },
    { label: 'Name', ops: EQ },
    { label: 'Profile', type: 'Struct' },
    { label: 'Request Object Signing Alg' },
    { label: 'Settings', type: 'Struct' },
    { label: 'Status', ops: EQ },
    { label: 'User ID', ops: EQ },
    { label: 'Visibility', type: 'Struct' },
    { label: 'signOnMode' },
  ],
  Device: [
    { label: 'Created', type: 'DateTime' },
    { label: 'Display Name', ops: EQ },
    { label: 'ID', ops: EQ },
    { label: 'IMEI', ops: EQ },
    { label: 'Last Updated', ops: DATES },
    { label: 'Links', type: 'Struct' },
    { label: 'Manufacturer', ops: EQ },
    { label: 'MEID', ops: EQ },
    { label: 'Model', ops: EQ },
    { label: 'OS Version', ops: EQ },
    { label: 'Platform', ops: EQ },
    { label: 'Profile', type: 'Struct' },
    { label: 'Registered', type: 'Boolean', ops: EQ },
    { label: 'Resource Alternate ID' },
    { label: 'Resource Display Name', type: 'Struct' },
    { label: 'Resource ID' },
    { label: 'Resource Type' },
    { label: 'Secure Hardware Present', type: 'Boolean', ops: EQ },
    { label: 'Serial Number', ops: EQ },
    { label: 'Status', ops: EQ },
    { label: 'Windows SID', ops: EQ },
    { label: 'macOS UDID', ops: EQ },
    { label: 'tpmPublicKeyHash', ops: EQ },
  ],
  Group: [
    { label: 'Created', ops: DATES },
    { label: 'Embedded', type: 'Struct' },
    { label: 'GUID/objectGUID of the Windows group', ops: EQ },
    { label: 'Group Description', ops: EQ },
    { label: 'Group Name', ops: EQ },
    { label: 'ID', ops: EQ },
    { label: 'Last Membership Updated', ops: DATES },
    { label: 'Last Updated', ops: DATES },
    { label: 'Links', type: 'Struct' },
    { label: 'Object Class', type: 'List' },
    { label: 'Profile', type: 'Struct' },
    { label: 'SAM Account Name', ops: EQ },
    { label: 'Source ID', ops: EQ },
    { label: 'Type', ops: EQ },
    { label: 'Windows Domain Qualified Name', ops: EQ },
    { label: 'Windows Group Distinguished Name', ops: EQ },
  ],
  User: [
    { label: 'Activated', ops: DATES },
    { label: 'City', ops: EQ },
    { label: 'Cost Center', ops: EQ },
    { label: 'Country Code', ops: EQ },
    { label: 'Created', ops: DATES },
    { label: 'Credentials', type: 'Struct' },
    { label: 'Department', ops: EQ },
    { label: 'Display Name', ops: EQ },
    { label: 'Division', ops: EQ },
    { label: 'Email', ops: EQ },
    { label: 'Embedded Resources', type: 'Struct' },
    { label: 'Employee Number', ops: EQ },
    { label: 'First Name', ops: EQ },
    { label: 'Honorific Prefix', ops: EQ },
    { label: 'Honorific Suffix', ops: EQ },
    { label: 'ID', ops: EQ },
    { label: 'Last Login', type: 'DateTime' },
    { label: 'Last Name', ops: EQ },
    { label: 'Last Updated', ops: DATES },
    { label: 'Links', type: 'Struct' },
    { label: 'Locale', ops: EQ },
    { label: 'Manager Display Name', ops: EQ },
    { label: 'Manager ID', ops: EQ },
    { label: 'Middle Name', ops: EQ },
    { label: 'Mobile Phone', ops: EQ },
    { label: 'Nickname', ops: EQ },
    { label: 'Occupation', ops: EQ },
    { label: 'Organization', ops: EQ },
    { label: 'Password Changed', type: 'DateTime' },
    { label: 'Postal Address', ops: EQ },
    { label: 'Preferred Language', ops: EQ },
    { label: 'Primary Phone', ops: EQ },
    { label: 'Profile', type: 'Struct' },
    { label: 'Profile URL', ops: EQ },
    { label: 'Second Email', ops: EQ },
    { label: 'State', ops: EQ },
    { label: 'Status', ops: EQ },
    { label: 'Status Changed', ops: DATES },
    { label: 'Street Address', ops: EQ },
    { label: 'Timezone', ops: EQ },
    { label: 'Title', ops: EQ },
    { label: 'Transitioning to status' },
    { label: 'Type', type: 'Struct' },
    { label: 'Type ID', ops: EQ },
    { label: 'User Type', ops: EQ },
    { label: 'Username', ops: EQ },
    { label: 'Zip Code', ops: EQ },
  ],
  UserType: [
    { label: 'Created' },
    { label: 'Created By' },
    { label: 'Default', type: 'Boolean' },
    { label: 'Description' },
    { label: 'Display Name' },
    { label: 'ID' },
    { label: 'Last Updated' },
    { label: 'Last Updated By' },
    { label: 'Links', type: 'Struct' },
    { label: 'Name' },
  ],
};

describe.each(Object.entries(TABLE))('%s: AppFlow table fields', (object, rows) => {
  const def = getObjectDef(object);
  it.each(rows)('$label', (row) => {
    const matches = def.fields.filter((f) => f.label === row.label);
    expect(matches).toHaveLength(1);
    const f = matches[0];
    if (f === undefined) return;
    expect(resolveField(def, row.label)).toBe(f);
    expect(f.column).toMatch(/^[a-z][a-z0-9_]*$/);
    if (row.type !== undefined) expect(f.type).toBe(row.type);
    for (const op of row.ops ?? []) expect(f.operators).toContain(op);
  });
});
