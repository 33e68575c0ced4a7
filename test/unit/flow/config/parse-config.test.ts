import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, parseConfig } from '../../../../lambdas/flow/config/index.js';

const minimal = () => ({
  okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/okta' },
  output: { bucket: { create: true } },
  flows: [{ name: 'users', object: 'User' }],
});

/** The problems a config produces, as formatted lines. */
function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, 'test.json');
  } catch (error) {
    if (error instanceof ConfigError)
      return error.message
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^ {2}- /, ''));
    throw error;
  }
  return [];
}

function withFlow(flow: Record<string, unknown>) {
  return { ...minimal(), flows: [{ name: 'users', object: 'User', ...flow }] };
}

describe('parseConfig', () => {
  it('accepts the shipped examples (JSON and YAML) and they describe the same config', () => {
    const json = parseConfig(JSON.parse(readFileSync('examples/okta-flow.config.json', 'utf8')), 'json');
    const yaml = parseConfig(parseYaml(readFileSync('examples/okta-flow.config.yaml', 'utf8')), 'yaml');
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === '$comment' || key === '$schema' ? undefined : v)));
    expect(strip(yaml)).toEqual(strip(json));
    expect(json.flows.map((f) => f.name)).toEqual([
      'users-hourly',
      'groups-daily',
      'apps-daily',
      'devices-6h',
      'user-types-weekly',
    ]);
  });

  it('applies every default', () => {
    const config = parseConfig(minimal());
    expect(config.okta).toEqual({
      domain: 'acme.okta.com',
      credentialsSecret: 'okta-flow/okta',
      rateLimitShare: 0.5,
      maxConcurrency: 4,
      maxRateLimitWaitSeconds: 300,
    });
    expect(config.output).toEqual({
      bucket: { create: true },
      prefix: 'okta',
      format: 'parquet',
      compression: 'snappy',
      encryption: { kmsKey: { create: true }, clientSide: false },
      targetFileSizeMiB: 128,
    });
    expect(config.alarms).toBeUndefined();
    expect(config.appflow).toEqual({ enabled: false, connectorLabel: 'okta-flow' });
    expect(config.stack).toEqual({ name: 'OktaFlow' });
    expect(config.flows[0]).toEqual({
      name: 'users',
      object: 'User',
      mode: 'full',
      overlapSeconds: 300,
      deleteDetection: 'none',
      enabled: true,
    });
  });

  it('defaults compression by format and the schedule time zone to UTC', () => {
    const csv = parseConfig({ ...minimal(), output: { bucket: { name: 'acme-exports' }, format: 'csv' } });
    expect(csv.output.compression).toBe('gzip');
    const scheduled = parseConfig(withFlow({ schedule: { expression: 'rate(1 hour)' } }));
    expect(scheduled.flows[0]?.schedule).toEqual({ expression: 'rate(1 hour)', timezone: 'UTC' });
  });

  it('accepts custom domains that are listed, and secret ARNs', () => {
    const config = parseConfig({
      ...minimal(),
      okta: {
        domain: 'login.acme.com',
        customDomains: ['login.acme.com'],
        credentialsSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-flow/okta-AbCdEf',
      },
    });
    expect(config.okta.domain).toBe('login.acme.com');
  });

  it('lists every problem at once, in document order, in a ConfigError', () => {
    const error = (() => {
      try {
        parseConfig({ okta: { domain: 'acme.okta.com' }, output: {}, flows: [] }, 'cfg.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.source).toBe('cfg.json');
    expect(configError.problems.map((p) => p.path)).toEqual(['okta.credentialsSecret', 'output.bucket', 'flows']);
    expect(configError.message.split('\n')[0]).toBe('cfg.json has 3 problems:');
  });

  // Each bad input with the exact message it must produce.
  const table: [string, unknown, string[]][] = [
    ['not an object', 'hello', ['(config): expected an object, got "hello"']],
    [
      'prefix climbing out with ..',
      { ...minimal(), output: { bucket: { create: true }, prefix: '../../etc' } },
      [
        'output.prefix: "../../etc" has a "." or ".." segment: S3 would keep it literally while local folders and tools resolve it to another place, so the output would not be where it says. Use plain names. Example: "okta"',
      ],
    ],
    [
      'prefix with a . segment',
      { ...minimal(), output: { bucket: { create: true }, prefix: 'exports/./okta' } },
      [
        'output.prefix: "exports/./okta" has a "." or ".." segment: S3 would keep it literally while local folders and tools resolve it to another place, so the output would not be where it says. Use plain names. Example: "okta"',
      ],
    ],
    [
      'schedule expression',
      withFlow({ schedule: { expression: 'every hour' } }),
      [
        'flows[0].schedule.expression: "every hour" is not a schedule expression (use rate(…), cron(…) or at(…)). Example: "rate(1 hour)" or "cron(0 * * * ? *)"',
      ],
    ],
    [
      'rate unit number',
      withFlow({ schedule: { expression: 'rate(1 hours)' } }),
      [
        'flows[0].schedule.expression: "rate(1 hours)": use the singular unit for 1 (rate(1 hour)). Example: "rate(1 hour)" or "cron(0 * * * ? *)"',
      ],
    ],
    [
      'cron with both days',
      withFlow({ schedule: { expression: 'cron(0 * * * * *)' } }),
      [
        'flows[0].schedule.expression: "cron(0 * * * * *)": exactly one of day-of-month and day-of-week must be "?". Example: "rate(1 hour)" or "cron(0 * * * ? *)"',
      ],
    ],
    [
      'time zone',
      withFlow({ schedule: { expression: 'rate(1 day)', timezone: 'Mars/Olympus' } }),
      ['flows[0].schedule.timezone: "Mars/Olympus" is not a known IANA time zone. Example: "Europe/Paris"'],
    ],
    [
      'time zone spelling',
      withFlow({ schedule: { expression: 'rate(1 day)', timezone: 'europe/paris' } }),
      ['flows[0].schedule.timezone: "europe/paris" is misspelt: write "Europe/Paris". Example: "Europe/Paris"'],
    ],
    [
      'flow name',
      withFlow({ name: 'Users_Hourly' }),
      [
        'flows[0].name: "Users_Hourly" is not kebab-case (lower-case letters and digits joined by "-"). Example: "users-hourly"',
      ],
    ],
    [
      'flow name length',
      withFlow({ name: 'a'.repeat(65) }),
      [`flows[0].name: "${'a'.repeat(65)}" is too big: must have at most 64 characters. Example: "users-hourly"`],
    ],
    [
      'unknown object',
      withFlow({ object: 'Users' }),
      [
        'flows[0].object: "Users" is not one of "Application", "Device", "Group", "LogEvent", "User", "UserType", "GroupMember", "ApplicationUser", "ApplicationGroup", "DeviceUser", "UserRole", "UserFactor" (did you mean "User"?). Example: "User"',
      ],
    ],
    [
      'unknown key',
      { ...minimal(), output: { bucket: { create: true }, fomat: 'csv' } },
      ['output.fomat: unknown key (did you mean "format"?). Example: "format"'],
    ],
    [
      'domain with scheme',
      { ...minimal(), okta: { domain: 'https://acme.okta.com', credentialsSecret: 'x' } },
      ['okta.domain: "https://acme.okta.com" has a scheme: give the host name only. Example: "acme.okta.com"'],
    ],
    [
      'domain not Okta',
      { ...minimal(), okta: { domain: 'evil.example.com', credentialsSecret: 'x' } },
      [
        'okta.domain: "evil.example.com" is not an Okta domain (*.okta.com, *.oktapreview.com, *.okta-emea.com, *.okta-gov.com, *.okta.mil); list a custom domain in okta.customDomains too. Example: "acme.okta.com"',
      ],
    ],
    [
      'rate limit share',
      { ...minimal(), okta: { domain: 'acme.okta.com', credentialsSecret: 'x', rateLimitShare: 0 } },
      ['okta.rateLimitShare: 0 is too small: must be > 0. Example: 0.5'],
    ],
    [
      'secret of the wrong type',
      { ...minimal(), okta: { domain: 'acme.okta.com', credentialsSecret: 5 } },
      [
        'okta.credentialsSecret: must be a secret name or ARN, or {"create": true}, got 5. Example: "okta-flow/okta-credentials" or {"create":true}',
      ],
    ],
    [
      'secret create false',
      { ...minimal(), okta: { domain: 'acme.okta.com', credentialsSecret: { create: false } } },
      ['okta.credentialsSecret.create: must be true, got false'],
    ],
    [
      'bucket typo',
      { ...minimal(), output: { bucket: { nme: 'acme-exports' } } },
      [
        'output.bucket.name: is required. Example: "acme-okta-exports"',
        'output.bucket.nme: unknown key (did you mean "name"?). Example: "name"',
      ],
    ],
    [
      'bucket name',
      { ...minimal(), output: { bucket: { name: 'Acme_Exports' } } },
      [
        'output.bucket.name: "Acme_Exports" is not an S3 bucket name (3-63 of a-z 0-9 . -). Example: "acme-okta-exports"',
      ],
    ],
    [
      'compression for format',
      { ...minimal(), output: { bucket: { create: true }, format: 'csv', compression: 'snappy' } },
      ['output.compression: "snappy" is not available for csv (use gzip, none). Example: "gzip"'],
    ],
    [
      'csvNull without csv',
      { ...minimal(), output: { bucket: { create: true }, csvNull: '\\N' } },
      ['output.csvNull: only applies to format "csv", not "parquet". Example: ""'],
    ],
    [
      'kms arn',
      { ...minimal(), output: { bucket: { create: true }, encryption: { kmsKey: { arn: 'alias/mine' } } } },
      [
        'output.encryption.kmsKey.arn: "alias/mine" is not a KMS key ARN. Example: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
      ],
    ],
    [
      'no flows',
      { ...minimal(), flows: [] },
      [
        'flows: must not be empty. Example: [{"name":"users-hourly","object":"User","mode":"incremental","schedule":{"expression":"rate(1 hour)"}}]',
      ],
    ],
    [
      'filter operator',
      withFlow({ filters: [{ field: 'status', op: '==', value: 'ACTIVE' }] }),
      [
        'flows[0].filters[0].op: "==" is not one of "=", "!=", ">", ">=", "<", "<=", "contains", "starts with", "between", "in" (did you mean "="?). Example: "="',
      ],
    ],
    [
      'nested filter',
      withFlow({ filters: { or: [{ field: 'status', op: 'in', value: 'ACTIVE' }] } }),
      [
        'flows[0].filters.or[0].value: "in" takes a non-empty list, got "ACTIVE". Example: {"field":"status","op":"in","value":["ACTIVE","STAGED"]}',
      ],
    ],
    [
      'between pair',
      withFlow({ filters: { field: 'created', op: 'between', value: ['2024-01-01T00:00:00Z'] } }),
      [
        'flows[0].filters.value: "between" takes a [low, high] pair, got ["2024-01-01T00:00:00Z"]. Example: {"field":"created","op":"between","value":["2024-01-01T00:00:00Z","2024-12-31T23:59:59Z"]}',
      ],
    ],
    [
      'filter of the wrong type',
      withFlow({ filters: 5 }),
      [
        'flows[0].filters: must be a condition {field, op, value}, a list of conditions, or {"and"|"or": [...]}, got 5. Example: [{"field":"status","op":"=","value":"ACTIVE"}] or {"or":[{"field":"status","op":"in","value":["ACTIVE","STAGED"]},{"field":"type","op":"=","value":"OKTA_GROUP"}]}',
      ],
    ],
    [
      'both filter forms',
      withFlow({ filters: [{ field: 'status', op: '=', value: 'ACTIVE' }], filterExpression: 'status = "ACTIVE"' }),
      [
        'flows[0].filterExpression: give either "filters" or "filterExpression", not both. Example: "status = \\"ACTIVE\\""',
      ],
    ],
    [
      'snapshot diff on incremental',
      withFlow({ mode: 'incremental', deleteDetection: 'snapshot-diff' }),
      [
        'flows[0].deleteDetection: "snapshot-diff" needs mode "full" (an incremental run is not a snapshot; GroupMember excepted: it re-reads whole groups); use "system-log". Example: "system-log"',
      ],
    ],
    [
      'first execution on a full flow',
      withFlow({ firstExecutionFrom: '2024-01-01T00:00:00Z' }),
      [
        'flows[0].firstExecutionFrom: only applies to mode "incremental". Example: {"mode":"incremental","firstExecutionFrom":"2024-01-01T00:00:00Z"}',
      ],
    ],
    [
      'first execution format',
      withFlow({ mode: 'incremental', firstExecutionFrom: '2024-01-01' }),
      [
        'flows[0].firstExecutionFrom: "2024-01-01" is not an ISO-8601 date-time with a time zone. Example: "2024-01-01T00:00:00Z"',
      ],
    ],
    [
      'slicing',
      withFlow({ slicing: { count: 4, sliceHours: 6 } }),
      ['flows[0].slicing: give exactly one of "count" and "sliceHours". Example: {"count":8,"concurrency":4}'],
    ],
    [
      'overlap',
      withFlow({ overlapSeconds: 1.5 }),
      ['flows[0].overlapSeconds: expected an integer, got 1.5. Example: 300'],
    ],
    [
      'duplicate names',
      {
        ...minimal(),
        flows: [
          { name: 'users', object: 'User' },
          { name: 'users', object: 'Group' },
        ],
      },
      ['flows[1].name: "users" is already the name of flows[0]; flow names must be unique. Example: "users-2"'],
    ],
    [
      'alarm email',
      { ...minimal(), alarms: { email: 'not-an-email' } },
      ['alarms.email: "not-an-email" is not an e-mail address. Example: "okta-flow-alerts@acme.com"'],
    ],
    [
      'stack name',
      { ...minimal(), stack: { name: '1stack' } },
      [
        'stack.name: "1stack" is not a CloudFormation stack name (a letter, then letters, digits, "-"). Example: "OktaFlow"',
      ],
    ],
  ];

  it.each(table)('%s', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });
});
