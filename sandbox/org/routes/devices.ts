import type { RouteResult } from '../contract.js';
import type { DeviceStore } from '../devices.js';
import { errorResult, errors } from '../errors.js';
import { devicesSearch } from '../grammars.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, listResult, readLimit, scanPage, unpaginated } from '../paging.js';
import { readPath } from '../path.js';
import { compileQuery, type Getter } from '../query/grammar.js';

function deviceGetter(devices: DeviceStore, d: number): Getter {
  let record: Record<string, unknown> | undefined;
  return (attr) => {
    if (attr === 'id') return devices.ids.idOf(d);
    if (attr === 'status') return devices.status(d);
    if (attr === 'lastUpdated') return devices.lastUpdatedMs(d);
    if (attr === 'profile.platform') return devices.platform(d);
    record ??= devices.data(d);
    return readPath(record, attr);
  };
}

function withUsers(state: OrgState, d: number, expand: string | null): Record<string, unknown> {
  const record: Record<string, unknown> = state.devices.serialize(d);
  if (expand === 'user' || expand === 'userSummary') {
    const owner = state.devices.owner(d);
    record._embedded = {
      users: owner === undefined ? [] : [state.devices.deviceUser(d, owner, expand === 'userSummary')],
    };
  }
  return record;
}

/** `GET /api/v1/devices`: `search` only (no `filter`, no `q`), `expand=user|userSummary`. */
export function listDevices(state: OrgState, params: URLSearchParams): RouteResult {
  const { devices } = state;
  for (const unsupported of ['filter', 'q']) {
    if (params.has(unsupported)) {
      return errorResult(errors.unsupportedFilter(`Devices support only 'search', not '${unsupported}'`));
    }
  }
  const expand = params.get('expand');
  if (expand !== null && expand !== 'user' && expand !== 'userSummary') {
    return errorResult(errors.validation(`expand: '${expand}' is not one of user, userSummary`));
  }
  const limit = readLimit(params, LIMITS.devices);
  if (!limit.ok) return errorResult(limit.error);
  let matches = (d: number): boolean => devices.exists(d);
  const search = params.get('search');
  if (search !== null) {
    const compiled = compileQuery(search, devicesSearch);
    if (!compiled.ok) return errorResult(compiled.error);
    const predicate = compiled.predicate;
    matches = (d) => devices.exists(d) && predicate(deviceGetter(devices, d));
  }
  const after = params.get('after');
  const start = after ? devices.ids.positionAfter(after, devices.size) : 0;
  const page = scanPage(start, devices.size, limit.limit, matches, (d) => withUsers(state, d, expand));
  return listResult(params, page.items, page.more ? devices.ids.idOf(page.lastIndex) : null, limit.limit);
}

export function getDevice(state: OrgState, id: string): RouteResult {
  const d = state.devices.resolve(id);
  if (d === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: state.devices.serialize(d) };
}

/** `GET /api/v1/devices/{id}/users`: the device's users (DeviceUser objects), not paginated. */
export function listDeviceUsers(state: OrgState, id: string): RouteResult {
  const d = state.devices.resolve(id);
  if (d === undefined) return errorResult(errors.notFound(id));
  const owner = state.devices.owner(d);
  return unpaginated(owner === undefined ? [] : [state.devices.deviceUser(d, owner, false)]);
}
