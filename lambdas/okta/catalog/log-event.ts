/**
 * LogEvent — the System Log, `GET /api/v1/logs`, read as a polling stream (see `source`): every field of Okta's
 * LogEvent typed, nested objects as structs and lists of structs (Parquet groups, Glue `struct<…>`/`array<…>`).
 * Only free-form maps (`debugContext.debugData`, `detailEntry`, `transaction.detail`, `changeDetails`) are JSON
 * text: their keys differ per event type, so no struct can hold them.
 *
 * Push-down: Okta's `filter` evaluates `eventType`, `actor.id`, `target.id`, `outcome.result` and `severity` (eq;
 * eventType also `sw` for `starts with` and `co` for `contains`);
 * `published` cannot be filtered on (400 E0000053), so time is only ever bounded by the stream's cursor.
 */
import { defineObject, field, type PushDownSpec, STRING_OPS } from './field.js';
import type { MemberDef, ObjectDef } from './types.js';

const FILTER_EQ: PushDownSpec = { filter: ['EQUAL_TO', 'IN'] };

const s = (column: string, key: string): MemberDef => ({ column, key, type: 'String' });

const GEOLOCATION: MemberDef = {
  column: 'geolocation',
  key: 'geolocation',
  type: 'Struct',
  members: [
    { column: 'lat', key: 'lat', type: 'Double' },
    { column: 'lon', key: 'lon', type: 'Double' },
  ],
};

const GEOGRAPHICAL_CONTEXT: MemberDef = {
  column: 'geographical_context',
  key: 'geographicalContext',
  type: 'Struct',
  members: [
    s('city', 'city'),
    s('state', 'state'),
    s('country', 'country'),
    s('postal_code', 'postalCode'),
    GEOLOCATION,
  ],
};

const IP_DETAILS: MemberDef = {
  column: 'ip_details',
  key: 'ipDetails',
  type: 'Struct',
  members: [
    { column: 'as_number', key: 'asNumber', type: 'Long' },
    s('as_org', 'asOrg'),
    s('isp', 'isp'),
    s('domain', 'domain'),
    {
      column: 'ip_service_categories',
      key: 'ipServiceCategories',
      type: 'List',
      items: 'Struct',
      members: [
        s('type', 'type'),
        s('operator', 'operator'),
        { column: 'is_anonymous', key: 'isAnonymous', type: 'Boolean' },
      ],
    },
  ],
};

/** actor and each target: who did it, to what. `detailEntry` is a free-form map. */
const PARTY: readonly MemberDef[] = [
  s('id', 'id'),
  s('type', 'type'),
  s('alternate_id', 'alternateId'),
  s('display_name', 'displayName'),
  { column: 'detail_entry', key: 'detailEntry', type: 'Map' },
];

/** Columns other objects' readers (delete detection, relations) need from an event. */
export const LOG_EVENT_COLUMNS = ['uuid', 'published', 'event_type', 'target'] as const;

export const logEventDef: ObjectDef = defineObject({
  name: 'LogEvent',
  label: 'System Log Event',
  description:
    'System Log events (sign-ins, MFA, lifecycle, membership, admin actions), read as a polling stream; 90 days kept.',
  listPath: '/api/v1/logs',
  itemPath: (id) => `/api/v1/logs?filter=${encodeURIComponent(`uuid eq "${id.replace(/["\\]/g, '')}"`)}`,
  scope: 'okta.logs.read',
  pageLimit: 1000,
  primaryKey: ['uuid'],
  cursorField: 'published',
  sliceFields: [],
  source: { kind: 'stream', cursor: 'polling', timeField: 'published' },
  fields: [
    field({
      column: 'uuid',
      label: 'UUID',
      path: 'uuid',
      type: 'String',
      pushDown: FILTER_EQ,
      aliases: ['id'],
      description: 'Unique event id; the key events are de-duplicated by.',
    }),
    field({
      column: 'published',
      label: 'Published',
      path: 'published',
      type: 'DateTime',
      description: 'When the event happened (UTC); output is partitioned by its day. Not filterable in Okta.',
    }),
    field({
      column: 'event_type',
      label: 'Event Type',
      path: 'eventType',
      type: 'String',
      operators: [...STRING_OPS, 'STARTS_WITH'],
      // Okta's System Log filter takes every SCIM operator: a family of event types (`user.session`) is `sw`.
      pushDown: { filter: ['EQUAL_TO', 'IN', 'STARTS_WITH', 'CONTAINS'] },
      description: 'e.g. user.session.start, user.authentication.auth_via_mfa, group.user_membership.add.',
    }),
    field({ column: 'version', label: 'Version', path: 'version', type: 'String', description: 'Event version.' }),
    field({
      column: 'severity',
      label: 'Severity',
      path: 'severity',
      type: 'String',
      pushDown: FILTER_EQ,
      description: 'DEBUG, INFO, WARN or ERROR.',
    }),
    field({
      column: 'display_message',
      label: 'Display Message',
      path: 'displayMessage',
      type: 'String',
      description: 'Human-readable description.',
    }),
    field({
      column: 'legacy_event_type',
      label: 'Legacy Event Type',
      path: 'legacyEventType',
      type: 'String',
      description: 'The /events API type (core.user_auth.login_success, …).',
    }),
    field({
      column: 'actor',
      label: 'Actor',
      path: 'actor',
      type: 'Struct',
      members: PARTY,
      description: 'Who acted: {id, type, alternate_id, display_name, detail_entry (JSON)}.',
    }),
    field({
      column: 'actor_id',
      label: 'Actor ID',
      path: 'actor.id',
      type: 'String',
      pushDown: FILTER_EQ,
      description: "The actor's id (00u… for users, the client id for apps).",
    }),
    field({
      column: 'client',
      label: 'Client',
      path: 'client',
      type: 'Struct',
      members: [
        {
          column: 'user_agent',
          key: 'userAgent',
          type: 'Struct',
          members: [s('raw_user_agent', 'rawUserAgent'), s('os', 'os'), s('browser', 'browser')],
        },
        s('zone', 'zone'),
        s('device', 'device'),
        s('id', 'id'),
        s('ip_address', 'ipAddress'),
        GEOGRAPHICAL_CONTEXT,
      ],
      description: 'The client: user agent, zone, device, IP address and where it was.',
    }),
    field({
      column: 'outcome',
      label: 'Outcome',
      path: 'outcome',
      type: 'Struct',
      members: [s('result', 'result'), s('reason', 'reason')],
      description: 'SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE, UNKNOWN, with a reason.',
    }),
    field({
      column: 'outcome_result',
      label: 'Outcome Result',
      path: 'outcome.result',
      type: 'String',
      pushDown: FILTER_EQ,
      description: 'The outcome alone (SUCCESS, FAILURE, …).',
    }),
    field({
      column: 'target',
      label: 'Target',
      path: 'target',
      type: 'List',
      items: 'Struct',
      members: [...PARTY, { column: 'change_details', key: 'changeDetails', type: 'Map' }],
      description: 'What was acted on: a list of {id, type, alternate_id, display_name, detail_entry, change_details}.',
    }),
    field({
      column: 'target_id',
      label: 'Target ID',
      path: 'target.id',
      type: 'List',
      items: 'String',
      pushDown: { filter: ['CONTAINS'] },
      description: 'The ids of the targets; `contains` pushes down as Okta `target.id eq`.',
    }),
    field({
      column: 'transaction',
      label: 'Transaction',
      path: 'transaction',
      type: 'Struct',
      members: [s('type', 'type'), s('id', 'id'), { column: 'detail', key: 'detail', type: 'Map' }],
      description: 'The request (WEB) or job (JOB) the event belongs to.',
    }),
    field({
      column: 'debug_data',
      label: 'Debug Data',
      path: 'debugContext.debugData',
      type: 'Map',
      description: 'debugContext.debugData as JSON text (requestId, requestUri, threatSuspected, … vary by event).',
    }),
    field({
      column: 'authentication_context',
      label: 'Authentication Context',
      path: 'authenticationContext',
      type: 'Struct',
      members: [
        s('authentication_provider', 'authenticationProvider'),
        s('credential_provider', 'credentialProvider'),
        s('credential_type', 'credentialType'),
        { column: 'issuer', key: 'issuer', type: 'Struct', members: [s('id', 'id'), s('type', 'type')] },
        s('interface', 'interface'),
        { column: 'authentication_step', key: 'authenticationStep', type: 'Long' },
        s('external_session_id', 'externalSessionId'),
      ],
      description: 'How the actor authenticated: provider, credential, session id.',
    }),
    field({
      column: 'security_context',
      label: 'Security Context',
      path: 'securityContext',
      type: 'Struct',
      members: [
        { column: 'as_number', key: 'asNumber', type: 'Long' },
        s('as_org', 'asOrg'),
        s('isp', 'isp'),
        s('domain', 'domain'),
        { column: 'is_proxy', key: 'isProxy', type: 'Boolean' },
        IP_DETAILS,
        { column: 'bot_protection', key: 'botProtection', type: 'Struct', members: [s('level', 'level')] },
        {
          column: 'risk',
          key: 'risk',
          type: 'Struct',
          members: [
            s('level', 'level'),
            s('previous_level', 'previousLevel'),
            s('detection_name', 'detectionName'),
            s('issuer', 'issuer'),
            { column: 'reasons', key: 'reasons', type: 'List', items: 'String' },
          ],
        },
        {
          column: 'user_behaviors',
          key: 'userBehaviors',
          type: 'List',
          items: 'Struct',
          members: [s('id', 'id'), s('name', 'name'), s('result', 'result')],
        },
      ],
      description: 'Network facts about the request: AS, ISP, proxy, risk.',
    }),
    field({
      column: 'request',
      label: 'Request',
      path: 'request',
      type: 'Struct',
      members: [
        {
          column: 'ip_chain',
          key: 'ipChain',
          type: 'List',
          items: 'Struct',
          members: [s('ip', 'ip'), s('version', 'version'), s('source', 'source'), GEOGRAPHICAL_CONTEXT, IP_DETAILS],
        },
      ],
      description: 'The chain of IP addresses the request passed through, each with where it was.',
    }),
  ],
});
