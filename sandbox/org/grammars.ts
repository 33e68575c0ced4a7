import { ErrorCode, errors, oktaError } from './errors.js';
import { type FieldSpec, type Grammar, ops } from './query/grammar.js';
import { profileFieldType } from './schema.js';

/**
 * Each endpoint's `search`/`filter` grammar: which attributes and operators Okta accepts there (okta-api.md §1–2).
 * Syntax errors answer the parameter's own code (search E0000031, filter E0000053); well-formed expressions using
 * what the endpoint does not support answer E0000031 for search and E0000094 for filter.
 */

const SEARCH_STRING = ops('eq', 'sw', 'pr');
const SEARCH_STRING_CO = ops('eq', 'sw', 'co', 'pr');
const SEARCH_ORDERED = ops('eq', 'gt', 'ge', 'lt', 'le', 'pr');
const SEARCH_BOOLEAN = ops('eq', 'pr');

const USER_CO_FIELDS = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);
const USER_SEARCH_DATES = new Set(['created', 'activated', 'statusChanged', 'lastUpdated']);

export const usersSearch: Grammar = {
  allowNot: true,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: true,
  field(attr): FieldSpec | undefined {
    if (attr === 'id' || attr === 'status' || attr === 'type.id') return { type: 'string', ops: SEARCH_STRING };
    if (USER_SEARCH_DATES.has(attr)) return { type: 'date', ops: SEARCH_ORDERED };
    if (!attr.startsWith('profile.')) return undefined;
    const type = profileFieldType(attr.slice('profile.'.length));
    if (type === undefined) return undefined;
    if (type === 'string') return { type, ops: USER_CO_FIELDS.has(attr) ? SEARCH_STRING_CO : SEARCH_STRING };
    if (type === 'number') return { type, ops: SEARCH_ORDERED };
    return { type, ops: SEARCH_BOOLEAN };
  },
  syntaxError: errors.badSearch,
  unsupported: errors.badSearch,
};

const USER_FILTER_PROFILE = new Set(['profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);

export const usersFilter: Grammar = {
  allowNot: false,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: false,
  field(attr): FieldSpec | undefined {
    if (attr === 'lastUpdated') return { type: 'date', ops: ops('eq', 'gt', 'ge', 'lt', 'le') };
    if (attr === 'status' || attr === 'id' || USER_FILTER_PROFILE.has(attr)) return { type: 'string', ops: ops('eq') };
    return undefined;
  },
  syntaxError: errors.badFilter,
  unsupported: errors.unsupportedFilter,
};

const GROUP_DATES = new Set(['created', 'lastUpdated', 'lastMembershipUpdated']);

export const groupsSearch: Grammar = {
  allowNot: true,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: true,
  field(attr): FieldSpec | undefined {
    if (GROUP_DATES.has(attr)) return { type: 'date', ops: ops('gt', 'lt') };
    if (attr === 'id' || attr === 'type' || attr === 'source.id') return { type: 'string', ops: ops('eq', 'sw') };
    if (attr === 'profile.name' || attr === 'profile.description')
      return { type: 'string', ops: ops('eq', 'sw', 'co') };
    if (/^profile\.[A-Za-z_][A-Za-z0-9_]*$/.test(attr)) return { type: 'string', ops: ops('eq', 'sw') };
    return undefined;
  },
  syntaxError: errors.badSearch,
  unsupported: errors.badSearch,
};

export const groupsFilter: Grammar = {
  allowNot: false,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: false,
  field(attr): FieldSpec | undefined {
    if (attr === 'id' || attr === 'type') return { type: 'string', ops: ops('eq') };
    if (attr === 'lastUpdated' || attr === 'lastMembershipUpdated') return { type: 'date', ops: ops('eq', 'gt', 'lt') };
    return undefined;
  },
  syntaxError: errors.badFilter,
  unsupported: errors.unsupportedFilter,
};

/** Apps accept exactly one `eq` expression on these attributes (no `and`/`or`/`not`). */
export const appsFilter: Grammar = {
  allowNot: false,
  allowOr: false,
  allowAnd: false,
  caseInsensitive: false,
  field(attr): FieldSpec | undefined {
    if (attr === 'settings.slo.enabled') return { type: 'boolean', ops: ops('eq') };
    if (['id', 'status', 'name', 'credentials.signing.kid', 'user.id', 'group.id'].includes(attr)) {
      return { type: 'string', ops: ops('eq') };
    }
    return undefined;
  },
  syntaxError: errors.badFilter,
  unsupported: errors.unsupportedFilter,
};

const DEVICE_CO = new Set(['displayName', 'serialNumber', 'imei', 'meid', 'udid', 'sid']);
const DEVICE_BOOLEAN = new Set(['registered', 'secureHardwarePresent', 'managed', 'integrityJailbreak']);

export const devicesSearch: Grammar = {
  allowNot: true,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: true,
  field(attr): FieldSpec | undefined {
    if (attr === 'id' || attr === 'status') return { type: 'string', ops: SEARCH_STRING };
    if (attr === 'lastUpdated') return { type: 'date', ops: SEARCH_ORDERED };
    const match = /^profile\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(attr);
    if (!match?.[1]) return undefined;
    const name = match[1];
    if (DEVICE_BOOLEAN.has(name)) return { type: 'boolean', ops: SEARCH_BOOLEAN };
    return { type: 'string', ops: DEVICE_CO.has(name) ? SEARCH_STRING_CO : SEARCH_STRING };
  },
  syntaxError: errors.badSearch,
  unsupported: errors.badSearch,
};

/** Top-level LogEvent properties: a filter path must start with one of them ("field is not valid" otherwise). */
const LOG_EVENT_FIELDS = new Set([
  'actor',
  'authenticationContext',
  'client',
  'debugContext',
  'displayMessage',
  'eventType',
  'legacyEventType',
  'outcome',
  'request',
  'securityContext',
  'severity',
  'target',
  'transaction',
  'uuid',
  'version',
]);
const LOG_NO_CONTAINS = new Set(['debugContext.debugData.url', 'debugContext.debugData.requestUri']);
const LOG_OPERATORS = ops('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'co', 'pr');

/**
 * System Log `filter`: any LogEvent attribute with every SCIM operator but `[ ]`, case-sensitive. Not `published`
 * (that is what since/until are for: 400 E0000053), not `co` on the debug URL fields (400 E0000031), and nothing
 * outside LogEvent ("field is not valid", E0000053).
 */
export const logsFilter: Grammar = {
  allowNot: true,
  allowOr: true,
  allowAnd: true,
  caseInsensitive: false,
  field(attr): FieldSpec | undefined {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(attr)) return undefined;
    const head = attr.split('.')[0] ?? '';
    if (!LOG_EVENT_FIELDS.has(head)) return undefined;
    if (LOG_NO_CONTAINS.has(attr)) return { type: 'string', ops: ops('eq', 'ne', 'sw', 'ew', 'pr') };
    return { type: 'string', ops: LOG_OPERATORS };
  },
  syntaxError: (cause) => oktaError(400, ErrorCode.badFilter, `Invalid filter: ${cause}`, [cause]),
  unsupported: (cause) =>
    /'published'/.test(cause)
      ? oktaError(
          400,
          ErrorCode.badFilter,
          'Invalid filter: published cannot be used in a filter; use since and until',
          [cause],
        )
      : /Operator 'co'/.test(cause)
        ? oktaError(
            400,
            ErrorCode.badSearch,
            `The supplied combination of operator and field is not currently supported. ${cause}`,
            [cause],
          )
        : oktaError(400, ErrorCode.badFilter, `field is not valid: ${cause}`, [cause]),
};
