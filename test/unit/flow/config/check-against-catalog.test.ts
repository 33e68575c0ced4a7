import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../../lambdas/flow/config/index.js';

const base = { okta: { domain: 'acme.okta.com', credentialsSecret: 'x' }, output: { bucket: { create: true } } };

function problems(flow: Record<string, unknown>): string[] {
  try {
    parseConfig({ ...base, flows: [{ name: 'f', ...flow }] }, 't');
  } catch (error) {
    if (error instanceof ConfigError)
      return error.message
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^ {2}- /, ''));
    throw error;
  }
  return [];
}

describe('catalog rules', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'incremental without a cursor field',
      { object: 'Application', mode: 'incremental' },
      [
        'flows[0].mode: "incremental" needs a cursor field and Application has none (incremental works for Device, Group, LogEvent, User, GroupMember). Example: "full"',
      ],
    ],
    [
      'starts with: a prefix on a field that offers it (LogEvent event_type), refused elsewhere',
      {
        object: 'LogEvent',
        mode: 'incremental',
        firstExecutionFrom: new Date(Date.now() - 86_400_000).toISOString(),
        filters: [
          { field: 'event_type', op: 'starts with', value: 'user.session' },
          { field: 'severity', op: 'starts with', value: 'WA' },
        ],
      },
      [
        'flows[0].filters: Field \'severity\' (LogEvent, String) does not support STARTS_WITH; allowed: EQUAL_TO, NOT_EQUAL_TO, CONTAINS, IN. Example: {"field":"status","op":"=","value":"ACTIVE"}',
      ],
    ],
    [
      'starts with needs a string prefix',
      {
        object: 'LogEvent',
        mode: 'incremental',
        firstExecutionFrom: new Date(Date.now() - 86_400_000).toISOString(),
        filters: { field: 'event_type', op: 'starts with', value: 3 },
      },
      [
        'flows[0].filters.value: "starts with" takes a non-empty string (the prefix), got 3. Example: {"field":"event_type","op":"starts with","value":"user.session"}',
      ],
    ],
    [
      'a relation without a change marker, incremental: says full + snapshot-diff instead',
      { object: 'ApplicationUser', mode: 'incremental' },
      [
        'flows[0].mode: ApplicationUser has no incremental mode: Okta has no change marker it can filter on for these pairs (only GroupMember has one, the group\'s lastMembershipUpdated). Use "mode": "full" with "deleteDetection": "snapshot-diff": every run reads the complete set (app pages + one request per 500 assigned users of each app (the apps bucket, often 100/min)), removed pairs become tombstones and the application_users_current view is the current state. Example: { "mode": "full", "deleteDetection": "snapshot-diff" }',
      ],
    ],
    [
      'a relation incremental with snapshot-diff: says mode full, not system-log',
      { object: 'UserRole', mode: 'incremental', deleteDetection: 'snapshot-diff' },
      [
        'flows[0].deleteDetection: "snapshot-diff" needs mode "full" for UserRole: it has no incremental mode, every run is a complete snapshot and removed records become tombstones; set "mode": "full". Example: "full"',
      ],
    ],
    [
      'LogEvent as a full copy, without a start, with delete detection',
      { object: 'LogEvent', mode: 'full', deleteDetection: 'system-log' },
      [
        'flows[0].mode: LogEvent is a stream (the System Log): it is read incrementally from its cursor, never as a full copy. Example: "incremental"',
        'flows[0].firstExecutionFrom: LogEvent needs the instant its first run starts at (within the last 90 days: Okta keeps 90 days of events). Example: "2026-11-01T00:00:00Z"',
        'flows[0].deleteDetection: System Log events are never deleted (they expire after 90 days); remove "deleteDetection"',
        'flows[0].deleteDetection: the System Log does not record LogEvent deletions; use "snapshot-diff" with mode "full". Example: "snapshot-diff"',
      ],
    ],
    [
      'LogEvent incremental from a start',
      {
        object: 'LogEvent',
        mode: 'incremental',
        firstExecutionFrom: '2026-11-01T00:00:00Z',
        filters: [
          { field: 'event_type', op: '=', value: 'user.session.start' },
          { field: 'target_id', op: 'contains', value: '00u1' },
        ],
      },
      [],
    ],
    [
      'unknown field',
      { object: 'User', fields: ['id', 'statsu'] },
      [
        'flows[0].fields[1]: "statsu" is not a User field (did you mean "status"?); `okta-flow describe User` lists them. Example: "status"',
      ],
    ],
    [
      'the same field twice',
      { object: 'User', fields: ['status', 'Status'] },
      ['flows[0].fields[1]: "Status" is the same field as fields[0] (status); list it once'],
    ],
    [
      'operator the field does not allow',
      { object: 'User', filters: [{ field: 'status', op: '>', value: 'x' }] },
      [
        'flows[0].filters: Field \'status\' (User, String) does not support GREATER_THAN; allowed: EQUAL_TO, NOT_EQUAL_TO, CONTAINS, IN. Example: {"field":"status","op":"=","value":"ACTIVE"}',
      ],
    ],
    [
      'value of the wrong type',
      { object: 'Group', filters: [{ field: 'last_updated', op: '>', value: 'yesterday' }] },
      [
        'flows[0].filters: Field \'last_updated\' (Group, DateTime) cannot be filtered with GREATER_THAN "yesterday": expected an ISO-8601 date-time such as 2024-01-01T00:00:00.000Z, a date such as 2024-01-01, or epoch milliseconds. Example: {"field":"status","op":"=","value":"ACTIVE"}',
      ],
    ],
    [
      'filterExpression syntax',
      { object: 'User', filterExpression: 'status = ACTIVE' },
      [
        'flows[0].filterExpression: "status = ACTIVE": Expected a value after \'=\' at column 10, found identifier \'ACTIVE\' (quote strings; null is lowercase). Example: "status = \\"ACTIVE\\""',
      ],
    ],
    [
      'filterExpression with LIMIT',
      { object: 'User', filterExpression: 'status = "ACTIVE" LIMIT 10' },
      ['flows[0].filterExpression: LIMIT does not apply to a flow (a flow copies every matching record); remove it'],
    ],
    [
      'slicing and System Log deletes on user types',
      { object: 'UserType', slicing: { count: 2 }, deleteDetection: 'system-log' },
      [
        'flows[0].slicing: UserType cannot be sliced (Okta cannot search it by created or lastUpdated ranges); remove "slicing"',
        'flows[0].deleteDetection: the System Log does not record UserType deletions; use "snapshot-diff" with mode "full". Example: "snapshot-diff"',
      ],
    ],
  ])('%s', (_name, flow, expected) => {
    expect(problems(flow)).toEqual(expected);
  });

  it('UserFactor (one request per user) needs a filter naming users or "perUserRequests": true', () => {
    const [line] = problems({ object: 'UserFactor' });
    expect(line).toMatch(/^flows\[0\]\.perUserRequests: UserFactor makes one request per User /);
    expect(line).toContain('"perUserRequests": true');
    expect(problems({ object: 'UserFactor', perUserRequests: true })).toEqual([]);
    expect(problems({ object: 'UserFactor', filters: [{ field: 'user_id', op: '=', value: '00u1' }] })).toEqual([]);
    // a filter that does not name users (status of every user) still needs the opt-in
    expect(problems({ object: 'UserFactor', filters: [{ field: 'factor_type', op: '=', value: 'sms' }] })).toHaveLength(
      1,
    );
    expect(problems({ object: 'GroupMember' })).toEqual([]);
  });

  it('suggests the right name for an unknown filter field', () => {
    const [line] = problems({ object: 'User', filters: [{ field: 'profle.login', op: '=', value: 'x' }] });
    expect(line).toMatch(/^flows\[0\]\.filters: Unknown field 'profle\.login' for User\. /);
    expect(line).toContain('(did you mean "profile.login"?)');
  });

  it('accepts custom User profile attributes, by Okta path or column, which are only known at plan time', () => {
    expect(
      problems({
        object: 'User',
        fields: ['id', 'profile.costCode', 'profile_badge_number'],
        filters: [{ field: 'profile.costCode', op: '=', value: 'X1' }],
      }),
    ).toEqual([]);
    // Other objects have no custom attributes: the same spelling is an unknown field there.
    expect(problems({ object: 'Group', fields: ['profile_badge_number'] })).toHaveLength(1);
  });

  it('accepts valid filters in both forms, incremental on objects with a cursor', () => {
    expect(
      problems({
        object: 'User',
        mode: 'incremental',
        filters: {
          or: [
            { field: 'status', op: 'in', value: ['ACTIVE', 'STAGED'] },
            { field: 'profile.login', op: 'contains', value: '@acme.com' },
          ],
        },
      }),
    ).toEqual([]);
    expect(problems({ object: 'Group', mode: 'incremental', filterExpression: 'type = "OKTA_GROUP"' })).toEqual([]);
  });
});
