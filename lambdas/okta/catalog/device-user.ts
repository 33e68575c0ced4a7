/** DeviceUser — the users of each device: `GET /api/v1/devices/{id}/users` (not paginated). Key (device_id, user_id). */
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const deviceUserDef: ObjectDef = defineObject({
  name: 'DeviceUser',
  label: 'Device User',
  description: 'Users of devices: one row per (device, user), with management status and screen lock type.',
  listPath: '/api/v1/devices/{id}/users',
  itemPath: (id) => `/api/v1/devices/${encodeURIComponent(id)}/users`,
  scope: 'okta.devices.read',
  pageLimit: null,
  primaryKey: ['device_id', 'user_id'],
  cursorField: null,
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'Device',
    childPath: (id) => `/api/v1/devices/${encodeURIComponent(id)}/users`,
    childLimit: null,
    parentFields: { device_id: 'id', device_status: 'status', device_platform: 'platform' },
    cost: 'device pages + one request per device',
  },
  fields: [
    field({ column: 'device_id', label: 'Device ID', path: '_parent.id', type: 'String', description: 'Device id.' }),
    field({ column: 'user_id', label: 'User ID', path: 'user.id', type: 'String', description: 'User id (00u…).' }),
    field({
      column: 'login',
      label: 'Login',
      path: 'user.profile.login',
      type: 'String',
      description: "The user's login.",
    }),
    field({
      column: 'user_status',
      label: 'User Status',
      path: 'user.status',
      type: 'String',
      description: 'User status.',
    }),
    field({
      column: 'management_status',
      label: 'Management Status',
      path: 'managementStatus',
      type: 'String',
      description: 'MANAGED or NOT_MANAGED.',
    }),
    field({
      column: 'screen_lock_type',
      label: 'Screen Lock Type',
      path: 'screenLockType',
      type: 'String',
      description: 'NONE, PASSCODE or BIOMETRIC.',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Linked at.' }),
    field({
      column: 'device_status',
      label: 'Device Status',
      path: '_parent.status',
      type: 'String',
      description: 'Device status.',
    }),
    field({
      column: 'device_platform',
      label: 'Device Platform',
      path: '_parent.profile.platform',
      type: 'String',
      description: 'WINDOWS, MACOS, IOS, ANDROID.',
    }),
  ],
});
