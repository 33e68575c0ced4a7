/**
 * The zod schema of `okta-flow.config.json` (or .yaml), shared by the CDK app (synth-time validation) and the
 * runtime. Structural rules live here; rules that need the Okta catalog (field names, cursor fields) live in
 * check-against-catalog.ts. Every object is strict (a typo is an error, not a silently ignored key) and accepts a
 * `$comment` string, so JSON configs can carry comments. `.meta({examples})` feeds both the editor JSON Schema and the
 * "Example:" part of error messages.
 */
import { z } from 'zod';
import { OKTA_OBJECT_NAMES, type OktaObjectName, PER_PARENT_SNAPSHOT_OBJECTS } from '../../okta/catalog/types.js';
import { filterSpecSchema } from './filter-spec.js';
import { hostnameProblem, isOktaHostedDomain, OKTA_DOMAIN_SUFFIXES } from './okta-domain.js';
import { scheduleExpressionProblem } from './schedule-expression.js';
import { timeZoneProblem } from './time-zone.js';

const comment = z.string().optional().meta({ description: 'A comment; ignored.' });

/** Adds an issue with the message a checker returned, if any. */
function check(problemOf: (value: string) => string | null) {
  return (value: string, ctx: z.core.$RefinementCtx<string>) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

const hostname = z.string().superRefine(check(hostnameProblem));

// Secrets Manager names: 1-512 of [A-Za-z0-9/_+=.@-]; ARNs name a secret in any partition.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const FLOW_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const secretNameOrArn = z
  .string()
  .superRefine(
    check((value) =>
      value.startsWith('arn:')
        ? SECRET_ARN.test(value)
          ? null
          : `${JSON.stringify(value)} is not a Secrets Manager secret ARN`
        : SECRET_NAME.test(value)
          ? null
          : `${JSON.stringify(value)} is not a secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -)`,
    ),
  );

export const oktaSchema = z
  .strictObject({
    $comment: comment,
    domain: hostname.meta({
      description:
        'The org host name, no scheme: *.okta.com, *.oktapreview.com, *.okta-emea.com, *.okta-gov.com, *.okta.mil, or one listed in customDomains.',
      examples: ['acme.okta.com'],
    }),
    customDomains: z
      .array(hostname)
      .optional()
      .meta({
        description: 'Custom domains (not under an Okta suffix) okta-flow may send credentials to.',
        examples: [['login.acme.com']],
      }),
    credentialsSecret: z
      .union(
        [
          secretNameOrArn,
          z.strictObject({
            $comment: comment,
            create: z.literal(true),
            name: secretNameOrArn.optional().meta({ examples: ['okta-flow/okta-credentials'] }),
          }),
        ],
        { error: 'must be a secret name or ARN, or {"create": true}' },
      )
      .meta({
        description:
          'The Secrets Manager secret holding the Okta credentials: an existing secret name or ARN, or {"create": true} for the stack to create an empty one to fill with `okta-flow connect`.',
        examples: ['okta-flow/okta-credentials', { create: true }],
      }),
    writeCredentialsSecret: secretNameOrArn.optional().meta({
      description:
        'The Secrets Manager secret holding the credential `okta-flow apply` and the ApplyPlan state machine write with (same formats as credentialsSecret). Separate from credentialsSecret so the read flows keep read-only scopes; an OAuth app needs okta.users.manage, okta.groups.manage and okta.apps.manage. Unset: apply can only use --secret-file or a sandbox.',
      examples: ['okta-flow/okta-write-credentials'],
    }),
    rateLimitShare: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.5)
      .meta({ description: 'Share of each Okta rate limit okta-flow may use (0 < share ≤ 1).', examples: [0.5] }),
    maxConcurrency: z
      .int()
      .min(1)
      .max(50)
      .default(4)
      .meta({ description: 'Most Okta requests in flight at once, per run.', examples: [4] }),
    maxRateLimitWaitSeconds: z
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .meta({
        description:
          'Longest one Okta request may wait on rate limits in total (429 resets, windows drained by other integrations). A reset further away fails the run at once; in Step Functions, waits longer than a Lambda can sleep become Wait states.',
        examples: [300],
      }),
  })
  .superRefine((okta, ctx) => {
    const custom = okta.customDomains ?? [];
    if (!isOktaHostedDomain(okta.domain) && !custom.includes(okta.domain)) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        message: `${JSON.stringify(okta.domain)} is not an Okta domain (${OKTA_DOMAIN_SUFFIXES.map((s) => `*${s}`).join(', ')}); list a custom domain in okta.customDomains too`,
        params: { example: 'acme.okta.com' },
      });
    }
  });

export const OUTPUT_FORMATS = ['parquet', 'csv', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const COMPRESSIONS = ['snappy', 'zstd', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Codecs each format supports; the first is the default. */
export const COMPRESSIONS_BY_FORMAT: Record<OutputFormat, readonly Compression[]> = {
  parquet: ['snappy', 'zstd', 'gzip', 'none'],
  csv: ['gzip', 'none'],
  jsonl: ['gzip', 'none'],
};

export const outputSchema = z
  .strictObject({
    $comment: comment,
    bucket: z
      .union(
        [
          z.strictObject({
            $comment: comment,
            name: z
              .string()
              .regex(BUCKET_NAME, { error: 'is not an S3 bucket name (3-63 of a-z 0-9 . -)' })
              .meta({ examples: ['acme-okta-exports'] }),
          }),
          z.strictObject({
            $comment: comment,
            create: z.literal(true),
            name: z
              .string()
              .regex(BUCKET_NAME, { error: 'is not an S3 bucket name (3-63 of a-z 0-9 . -)' })
              .optional()
              .meta({
                description: 'Physical name; omit to let CloudFormation name it.',
                examples: ['acme-okta-exports'],
              }),
            expireAfterDays: z
              .int()
              .min(1)
              .optional()
              .meta({ description: 'Delete exported objects this many days after they are written.', examples: [365] }),
          }),
        ],
        { error: 'must be {"name": "<existing bucket>"} or {"create": true}' },
      )
      .meta({
        description:
          'Where the data lands: an existing bucket by name, or {"create": true} for the stack to create one.',
        examples: [{ create: true }, { name: 'acme-okta-exports' }],
      }),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, {
        error: 'is not a key prefix (no leading or trailing "/", no empty segments)',
      })
      // S3 keeps "." and ".." literally (keys like okta/../x) while file systems and most tools resolve them to
      // another folder: the same prefix would name different places (and a local run could write outside --out).
      .superRefine((prefix, ctx) => {
        if (!prefix.split('/').some((segment) => segment === '.' || segment === '..')) return;
        ctx.addIssue({
          code: 'custom',
          message:
            `${JSON.stringify(prefix)} has a "." or ".." segment: S3 would keep it literally while local folders ` +
            'and tools resolve it to another place, so the output would not be where it says. Use plain names',
        });
      })
      .default('okta')
      .meta({
        description: 'Key prefix: data under <prefix>/<object>/dt=…/, state under <prefix>/_state/.',
        examples: ['okta'],
      }),
    format: z
      .enum(OUTPUT_FORMATS)
      .default('parquet')
      .meta({ examples: ['parquet'] }),
    compression: z
      .enum(COMPRESSIONS)
      .optional()
      .meta({
        description: 'parquet: snappy (default), zstd, gzip, none; csv and jsonl: gzip (default), none.',
        examples: ['snappy'],
      }),
    encryption: z
      .strictObject({
        $comment: comment,
        kmsKey: z
          .union(
            [
              z.strictObject({
                $comment: comment,
                create: z.literal(true),
                alias: z
                  .string()
                  .regex(/^alias\/[A-Za-z0-9/_-]{1,250}$/, { error: 'is not a KMS alias' })
                  .optional()
                  .meta({ examples: ['alias/okta-flow'] }),
              }),
              z.strictObject({
                $comment: comment,
                arn: z
                  .string()
                  .regex(KMS_KEY_ARN, { error: 'is not a KMS key ARN' })
                  .meta({ examples: ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'] }),
              }),
            ],
            { error: 'must be {"create": true} or {"arn": "<KMS key ARN>"}' },
          )
          .default({ create: true })
          .meta({ examples: [{ create: true }] }),
        clientSide: z
          .boolean()
          .default(false)
          .meta({
            description: 'Also encrypt each file client-side (envelope encryption) before upload.',
            examples: [false],
          }),
      })
      .default({ kmsKey: { create: true }, clientSide: false })
      .meta({
        description: 'SSE-KMS with a key the stack creates or an existing key.',
        examples: [{ kmsKey: { create: true } }],
      }),
    targetFileSizeMiB: z
      .int()
      .min(1)
      .max(5120)
      .default(128)
      .meta({ description: 'Roll to a new file at about this size.', examples: [128] }),
    csvNull: z
      .string()
      .optional()
      .meta({ description: 'How CSV writes a null (default: empty field).', examples: ['\\N'] }),
  })
  .superRefine((output, ctx) => {
    const allowed = COMPRESSIONS_BY_FORMAT[output.format];
    if (output.compression !== undefined && !allowed.includes(output.compression)) {
      ctx.addIssue({
        code: 'custom',
        path: ['compression'],
        message: `${JSON.stringify(output.compression)} is not available for ${output.format} (use ${allowed.join(', ')})`,
        params: { example: allowed[0] },
      });
    }
    if (output.csvNull !== undefined && output.format !== 'csv') {
      ctx.addIssue({
        code: 'custom',
        path: ['csvNull'],
        message: `only applies to format "csv", not ${JSON.stringify(output.format)}`,
        params: { example: '' },
      });
    }
  })
  .transform((output) => ({
    ...output,
    compression: output.compression ?? (COMPRESSIONS_BY_FORMAT[output.format][0] as Compression),
  }));

export const DELETE_DETECTIONS = ['none', 'snapshot-diff', 'system-log'] as const;
/** Objects whose deletions the System Log records: `deleteDetection: "system-log"` works for them only. */
const SYSTEM_LOG_DELETE_OBJECTS: readonly OktaObjectName[] = ['User', 'Group', 'Application', 'Device'];
export type DeleteDetection = (typeof DELETE_DETECTIONS)[number];

const isoDateTime = z
  .string()
  .superRefine(
    check((value) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
      !Number.isNaN(Date.parse(value))
        ? null
        : `${JSON.stringify(value)} is not an ISO-8601 date-time with a time zone`,
    ),
  );

export const scheduleSchema = z
  .strictObject({
    $comment: comment,
    expression: z
      .string()
      .superRefine(check(scheduleExpressionProblem))
      .meta({
        description:
          'EventBridge Scheduler expression: rate(…), cron(minutes hours day-of-month month day-of-week year) or at(…).',
        examples: ['rate(1 hour)', 'cron(0 * * * ? *)'],
      }),
    timezone: z
      .string()
      .superRefine(check(timeZoneProblem))
      .default('UTC')
      .meta({ description: 'IANA time zone the cron expression is read in.', examples: ['Europe/Paris'] }),
  })
  .meta({ examples: [{ expression: 'rate(1 hour)' }, { expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Paris' }] });

export const slicingSchema = z
  .strictObject({
    $comment: comment,
    count: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Split the scan into this many time slices.', examples: [8] }),
    sliceHours: z
      .number()
      .gt(0)
      .optional()
      .meta({ description: 'Split the scan into slices of this many hours.', examples: [24] }),
    concurrency: z
      .int()
      .min(1)
      .max(40)
      .default(4)
      .meta({ description: 'Slices scanned at once.', examples: [4] }),
  })
  .superRefine((slicing, ctx) => {
    if ((slicing.count === undefined) === (slicing.sliceHours === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of "count" and "sliceHours"',
        params: { example: { count: 8, concurrency: 4 } },
      });
    }
  })
  .meta({ examples: [{ count: 8, concurrency: 4 }] });

export const flowSchema = z
  .strictObject({
    $comment: comment,
    name: z
      .string()
      .max(64)
      .regex(FLOW_NAME, { error: 'is not kebab-case (lower-case letters and digits joined by "-")' })
      .meta({ description: 'Unique kebab-case name, at most 64 characters.', examples: ['users-hourly'] }),
    description: z
      .string()
      .max(512)
      .optional()
      .meta({ examples: ['Active users, every hour'] }),
    object: z.enum(OKTA_OBJECT_NAMES as [OktaObjectName, ...OktaObjectName[]]).meta({ examples: ['User'] }),
    fields: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .meta({
        description: 'Fields to copy (column, Okta path or AppFlow name). Default: every non-sensitive field.',
        examples: [['id', 'status', 'profile.login', 'last_updated']],
      }),
    filters: filterSpecSchema.optional(),
    filterExpression: z
      .string()
      .min(1)
      .optional()
      .meta({
        description: 'AppFlow-style filter expression (instead of filters).',
        examples: ['status = "ACTIVE" and profile.department contains "Eng"'],
      }),
    mode: z
      .enum(['full', 'incremental'])
      .default('full')
      .meta({
        description: 'incremental copies records changed since the last run (User, Group, Device).',
        examples: ['incremental'],
      }),
    schedule: scheduleSchema.optional(),
    firstExecutionFrom: isoDateTime.optional().meta({
      description: 'Incremental: where the first run starts (default: a full load).',
      examples: ['2024-01-01T00:00:00Z'],
    }),
    overlapSeconds: z
      .int()
      .min(0)
      .max(86_400)
      .default(300)
      .meta({
        description: "Incremental: re-read this many seconds before the watermark (Okta's search index lags).",
        examples: [300],
      }),
    slicing: slicingSchema.optional(),
    deleteDetection: z
      .enum(DELETE_DETECTIONS)
      .default('none')
      .meta({
        description:
          'snapshot-diff (full flows): tombstones for ids gone since the previous snapshot; system-log: from delete events.',
        examples: ['snapshot-diff'],
      }),
    enabled: z
      .boolean()
      .default(true)
      .meta({ description: 'false: keep the flow but do not schedule it.', examples: [true] }),
    perUserRequests: z
      .boolean()
      .optional()
      .meta({
        description:
          "UserFactor: read every user's factors (ONE request per user) without a filter naming users. " +
          '`okta-flow describe UserFactor` states the cost.',
        examples: [true],
      }),
  })
  .superRefine((flow, ctx) => {
    if (flow.filters !== undefined && flow.filterExpression !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['filterExpression'],
        message: 'give either "filters" or "filterExpression", not both',
        params: { example: 'status = "ACTIVE"' },
      });
    }
    if (
      flow.deleteDetection === 'snapshot-diff' &&
      flow.mode !== 'full' &&
      !PER_PARENT_SNAPSHOT_OBJECTS.includes(flow.object)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['deleteDetection'],
        message: SYSTEM_LOG_DELETE_OBJECTS.includes(flow.object)
          ? `"snapshot-diff" needs mode "full" (an incremental run is not a snapshot; ${PER_PARENT_SNAPSHOT_OBJECTS.join(', ')} excepted: it re-reads whole groups); use "system-log"`
          : `"snapshot-diff" needs mode "full" for ${flow.object}: it has no incremental mode, every run is a complete snapshot and removed records become tombstones; set "mode": "full"`,
        params: { example: SYSTEM_LOG_DELETE_OBJECTS.includes(flow.object) ? 'system-log' : 'full' },
      });
    }
    if (flow.firstExecutionFrom !== undefined && flow.mode !== 'incremental') {
      ctx.addIssue({
        code: 'custom',
        path: ['firstExecutionFrom'],
        message: 'only applies to mode "incremental"',
        params: { example: { mode: 'incremental', firstExecutionFrom: '2024-01-01T00:00:00Z' } },
      });
    }
  });

export const alarmsSchema = z.strictObject({
  $comment: comment,
  email: z
    .email({ error: 'is not an e-mail address' })
    .optional()
    .meta({ examples: ['okta-flow-alerts@acme.com'] }),
});

/** Objects AppFlow can pull incrementally: those with a server-side cursor (catalog `cursorField`). */
export const APPFLOW_INCREMENTAL_OBJECTS = [
  'User',
  'Group',
  'Device',
  'LogEvent',
] as const satisfies readonly OktaObjectName[];

const APPFLOW_NAME = /^[\w!@#.-]{1,256}$/;

export const appflowConnectionSchema = z
  .strictObject({
    $comment: comment,
    name: z
      .string()
      .regex(APPFLOW_NAME, { error: 'is not an AppFlow connection name (1-256 of A-Z a-z 0-9 _ ! @ # . -)' })
      .default('okta-flow')
      .meta({ description: 'Name of the AppFlow connection (connector profile).', examples: ['okta-flow'] }),
    apiTokenSecret: secretNameOrArn.optional().meta({
      description:
        'Secret whose JSON holds "apiToken" (an Okta API token), read by CloudFormation through a dynamic reference ' +
        '(never in the template). Default: okta.credentialsSecret, which must then hold {"type":"apiToken",…}. ' +
        'It must be filled BEFORE the deploy that creates the connection: AppFlow validates the credentials.',
      examples: ['okta-flow/appflow-api-token'],
    }),
  })
  .meta({ examples: [{ name: 'okta-flow' }] });

export const appflowSampleFlowSchema = z
  .strictObject({
    $comment: comment,
    name: z
      .string()
      .regex(APPFLOW_NAME, { error: 'is not an AppFlow flow name (1-256 of A-Z a-z 0-9 _ ! @ # . -)' })
      .default('okta-flow-sample')
      .meta({ examples: ['okta-users-incremental'] }),
    object: z
      .enum(APPFLOW_INCREMENTAL_OBJECTS)
      .default('User')
      .meta({
        description: 'Object to pull incrementally on its cursor field (last_updated; LogEvent: published).',
        examples: ['User'],
      }),
    scheduleExpression: z
      .string()
      .regex(/^(rate\(\d+(minutes|hours|days)\)|cron\(.+\))$/, {
        error: 'is not an AppFlow schedule expression (AppFlow writes rates without a space: "rate(1hours)")',
      })
      .default('rate(1hours)')
      .meta({ examples: ['rate(1hours)'] }),
    timezone: z
      .string()
      .superRefine(check(timeZoneProblem))
      .default('UTC')
      .meta({ examples: ['UTC'] }),
    active: z
      .boolean()
      .default(false)
      .meta({ description: 'Create the flow active (it starts running) or suspended.', examples: [false] }),
  })
  .meta({ examples: [{ object: 'User', scheduleExpression: 'rate(1hours)' }] });

export const appflowSchema = z
  .strictObject({
    $comment: comment,
    enabled: z
      .boolean()
      .default(false)
      .meta({ examples: [false] }),
    connectorLabel: z
      .string()
      .regex(/^[a-zA-Z0-9][\w!@#.-]{0,255}$/, { error: 'is not an AppFlow connector label' })
      .default('okta-flow')
      .meta({ description: 'Label the custom connector is registered under.', examples: ['okta-flow'] }),
    connection: appflowConnectionSchema.optional().meta({
      description: 'Also create an AppFlow connection (connector profile) to okta.domain with an API token.',
    }),
    sampleFlow: appflowSampleFlowSchema.optional().meta({
      description:
        'Also create a sample scheduled incremental AppFlow flow to the output bucket (Parquet, same KMS key) under <prefix>/appflow/. Needs "connection".',
    }),
  })
  .superRefine((appflow, ctx) => {
    if (!appflow.enabled && (appflow.connection !== undefined || appflow.sampleFlow !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['enabled'],
        message: '"connection" and "sampleFlow" need the connector registered: set "enabled": true',
        params: { example: true },
      });
    }
    if (appflow.sampleFlow !== undefined && appflow.connection === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sampleFlow'],
        message: 'a sample flow reads through a connection: add "connection" too',
        params: { example: { connection: { name: 'okta-flow' } } },
      });
    }
  })
  .meta({ description: 'Registering the connector Lambda with Amazon AppFlow (off by default).' });

export const stackSchema = z.strictObject({
  $comment: comment,
  name: z
    .string()
    .regex(STACK_NAME, { error: 'is not a CloudFormation stack name (a letter, then letters, digits, "-")' })
    .default('OktaFlow')
    .meta({ examples: ['OktaFlow'] }),
  tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .optional()
    .meta({ description: 'Tags on every resource.', examples: [{ team: 'security', 'cost-center': '1234' }] }),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema, for editors.' }),
    $comment: comment,
    okta: oktaSchema,
    output: outputSchema,
    flows: z
      .array(flowSchema)
      .min(1)
      .meta({
        description: 'The flows: what to copy, how and when.',
        examples: [
          [{ name: 'users-hourly', object: 'User', mode: 'incremental', schedule: { expression: 'rate(1 hour)' } }],
        ],
      }),
    alarms: alarmsSchema.optional(),
    appflow: appflowSchema.default({ enabled: false, connectorLabel: 'okta-flow' }),
    stack: stackSchema.default({ name: 'OktaFlow' }),
  })
  .meta({
    title: 'okta-flow configuration',
    description: 'okta-flow.config.json: the Okta org, the output and the flows.',
  });

/** The config as written (defaults not applied): what the JSON Schema describes. */
export type ConfigInput = z.input<typeof configSchema>;
/** The validated config with every default applied. */
export type Config = z.output<typeof configSchema>;
export type OktaConfig = Config['okta'];
export type OutputConfig = Config['output'];
export type FlowConfig = Config['flows'][number];
export type ScheduleConfig = NonNullable<FlowConfig['schedule']>;
export type SlicingConfig = NonNullable<FlowConfig['slicing']>;
