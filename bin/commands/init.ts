/**
 * `okta-flow init [file]`: writes a starter config for the user's org — domain, credentials secret, three starter
 * flows (users hourly and incremental, groups and apps daily), their schedules, the output — with a `$schema` line
 * for editors and comments on every section (`$comment` keys in JSON, `#` comments in YAML), then prints the next
 * steps. The document is validated exactly as `okta-flow validate` would before anything is written, and an
 * existing file is never overwritten (the write itself refuses, so a file appearing meanwhile is safe too).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap, Document as YamlDocument } from 'yaml';
import { ConfigError } from '../../lambdas/flow/config/config-error.js';
import { DEFAULT_CONFIG_FILE } from '../../lambdas/flow/config/load-config.js';
import { parseConfig } from '../../lambdas/flow/config/parse-config.js';
import { type Config, OUTPUT_FORMATS, type OutputFormat } from '../../lambdas/flow/config/schema.js';

/** The JSON Schema this CLI ships (schemas/ in a clone, dist/schemas/ in the package). */
export const SHIPPED_SCHEMA_FILE = fileURLToPath(
  new URL('../../schemas/okta-flow.config.schema.json', import.meta.url),
);
/** Where a local `npm install okta-flow` puts the schema, relative to the project directory. */
const INSTALLED_SCHEMA = join('node_modules', 'okta-flow', 'dist', 'schemas', 'okta-flow.config.schema.json');

export interface InitOptions {
  /** The file to write (default okta-flow.config.json); `.yaml`/`.yml` writes YAML. */
  readonly file?: string | undefined;
  /** The Okta org's host name, e.g. acme.okta.com. */
  readonly domain: string;
  /** An existing Secrets Manager secret (name or ARN) with the credentials; default: the stack creates one. */
  readonly secret?: string | undefined;
  /** An existing bucket; default: the stack creates one. */
  readonly bucket?: string | undefined;
  readonly prefix?: string | undefined;
  readonly format?: string | undefined;
  /** The deployment's name (state machine `<name>-RunFlow`, Glue database, dashboard). */
  readonly stackName?: string | undefined;
  /** IANA time zone of the daily schedules (default UTC). */
  readonly timezone?: string | undefined;
  readonly email?: string | undefined;
  /** `$schema` to write instead of the path of the installed schema. */
  readonly schema?: string | undefined;
}

export interface InitResult {
  readonly path: string;
  readonly config: Config;
  readonly text: string;
  /** What to print: where it went, then the next steps. */
  readonly message: string;
}

/** Init cannot write the config: the file exists, or an option makes it invalid. */
export class InitError extends Error {
  override readonly name = 'InitError';
}

export function initCommand(options: InitOptions): InitResult {
  const file = options.file ?? DEFAULT_CONFIG_FILE;
  const path = resolve(file);
  if (existsSync(path)) throw alreadyExists(file);
  const yaml = /\.ya?ml$/i.test(file);
  const schema = options.schema ?? schemaReference(dirname(path));
  const document = starterConfig(options, yaml ? { yaml: true } : { schema });
  let config: Config;
  try {
    config = parseConfig(document, `the config for ${file}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new InitError(
        `${error.message}\nNothing was written. Fix the option behind each path (okta.domain: --domain, ` +
          'okta.credentialsSecret: --secret, output.bucket: --bucket, output.prefix: --prefix, output.format: ' +
          '--format, stack.name: --stack-name, schedule.timezone: --timezone, alarms.email: --email).',
        { cause: error },
      );
    }
    throw error;
  }
  const text = yaml ? yamlText(document, schema) : `${JSON.stringify(document, null, 2)}\n`;
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(file);
    throw new InitError(`Cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { path, config, text, message: nextSteps(file, config) };
}

function alreadyExists(file: string): InitError {
  return new InitError(
    `${file} already exists: okta-flow init never overwrites a config. Edit it, move it away, or name another ` +
      'file (okta-flow init my-org.config.json).',
  );
}

/**
 * The `$schema` reference for a config in `dir`: a local install's schema (node_modules/okta-flow) when there is
 * one in `dir` or above, else the schema this CLI ships; relative, so the config can be committed.
 */
export function schemaReference(dir: string): string {
  let target = SHIPPED_SCHEMA_FILE;
  for (let at = dir; ; at = dirname(at)) {
    const installed = join(at, INSTALLED_SCHEMA);
    if (existsSync(installed)) {
      target = installed;
      break;
    }
    if (dirname(at) === at) break;
  }
  const path = relative(dir, target).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * The starter document: plain data, `$comment` on every section (YAML turns them into `#` comments). `schema`: the
 * `$schema` key (JSON; YAML takes it as a yaml-language-server comment instead).
 */
export function starterConfig(
  options: InitOptions,
  written: { schema?: string; yaml?: boolean } = {},
): Record<string, unknown> {
  const { schema } = written;
  const timezone = options.timezone ?? 'UTC';
  const format = (options.format ?? 'parquet') as OutputFormat;
  const stackName = options.stackName ?? 'OktaFlow';
  const credentialsSecret =
    options.secret === undefined
      ? {
          $comment:
            'The stack creates this secret EMPTY; after `cdk deploy`, fill it with `okta-flow connect` or `aws ' +
            'secretsmanager put-secret-value`. Or give an existing secret name or ARN here, as a string.',
          create: true,
        }
      : options.secret;
  const bucket =
    options.bucket === undefined
      ? { $comment: 'The stack creates the bucket (SSE-KMS, versioned, access-logged).', create: true }
      : { $comment: 'An existing bucket: okta-flow writes only under the prefix below.', name: options.bucket };
  return {
    ...(schema === undefined ? {} : { $schema: schema }),
    $comment:
      'okta-flow config, written by `okta-flow init`. ' +
      (written.yaml ? '' : 'Every object takes a "$comment" (ignored), since JSON has no comments. ') +
      "Check it with `okta-flow validate --config <this file>`; the full reference is the README's " +
      '"Configuration reference".',
    okta: {
      $comment:
        'Your Okta org: the host name only. Custom domains (not *.okta.com etc.) must be listed in customDomains.',
      domain: options.domain,
      credentialsSecret,
      rateLimitShare: 0.5,
    },
    output: {
      $comment: `Files land in s3://<bucket>/<prefix>/<object>/dt=YYYY-MM-DD/run_id=<run>/; run state under <prefix>/_state/. Formats: ${OUTPUT_FORMATS.join(', ')}.`,
      bucket,
      prefix: options.prefix ?? 'okta',
      format,
      encryption: {
        $comment: 'SSE-KMS with a key the stack creates (rotation on). {"arn": "arn:aws:kms:…"} brings your own key.',
        kmsKey: { create: true },
      },
    },
    flows: [
      {
        $comment:
          'Users changed since the last run, every hour (DEPROVISIONED users included). The first run copies every user.',
        name: 'users-hourly',
        object: 'User',
        mode: 'incremental',
        schedule: { expression: 'rate(1 hour)' },
      },
      {
        $comment: 'Every group, daily at 02:00, with tombstones for groups deleted since the previous day.',
        name: 'groups-daily',
        object: 'Group',
        mode: 'full',
        schedule: { expression: 'cron(0 2 * * ? *)', timezone },
        deleteDetection: 'snapshot-diff',
      },
      {
        $comment: 'Every application, daily at 02:30. Sensitive fields (client secrets) are dropped unless listed.',
        name: 'apps-daily',
        object: 'Application',
        mode: 'full',
        schedule: { expression: 'cron(30 2 * * ? *)', timezone },
      },
    ],
    ...(options.email === undefined
      ? {}
      : { alarms: { $comment: 'Failed runs and sustained rate limiting alarm here.', email: options.email } }),
    stack: {
      $comment:
        'Names this deployment: the state machine <name>-RunFlow (okta-flow invoke finds it), the Glue database, ' +
        "the dashboard. In your own CDK app it need not be your stack's name.",
      name: stackName,
    },
  };
}

/** YAML with the `$comment` keys turned into `#` comments and a yaml-language-server `$schema` line. */
function yamlText(document: Record<string, unknown>, schema: string): string {
  const doc = new YamlDocument(document);
  commentsFromKeys(doc.contents as Node, (text) => {
    doc.commentBefore = text;
  });
  return `# yaml-language-server: $schema=${schema}\n${doc.toString({ lineWidth: 0 })}`;
}

/** Moves each map's `$comment` value onto whatever stands before the map (its key, its list item, the document). */
function commentsFromKeys(node: Node, setComment: (text: string) => void): void {
  if (isMap(node)) {
    const comment = node.get('$comment');
    if (typeof comment === 'string') {
      node.delete('$comment');
      setComment(` ${comment}`);
    }
    for (const pair of (node as YAMLMap).items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = pair.key;
      if (pair.value !== null && typeof pair.value === 'object') {
        commentsFromKeys(pair.value as Node, (text) => {
          key.commentBefore = text;
        });
      }
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (item !== null && typeof item === 'object') {
        commentsFromKeys(item as Node, (text) => {
          (item as Node).commentBefore = text;
        });
      }
    }
  }
}

function nextSteps(file: string, config: Config): string {
  const secret = config.okta.credentialsSecret;
  const created = typeof secret !== 'string';
  const flows = config.flows.map((f) => f.name);
  const first = flows[0] ?? '<flow>';
  const steps = [
    ...(created
      ? []
      : [
          `Create the credentials secret ${secret} (if it does not exist yet), e.g. with an API token:\n` +
            `     aws secretsmanager create-secret --name ${secret} --secret-string file://okta-credentials.json\n` +
            '     where okta-credentials.json is {"type":"apiToken","apiToken":"…"} (or use `okta-flow connect` for OAuth).',
        ]),
    `Check the config:  okta-flow validate --config ${file}`,
    `Try it locally, against the bundled sandbox org (no Okta, no AWS):\n     okta-flow run ${first} --sandbox --config ${file} --out ./okta-flow-output`,
    'Deploy: in your CDK app,\n' +
      `     new OktaFlow(this, 'Okta', { config: '${file}' });   // import { OktaFlow } from 'okta-flow'\n` +
      '     then  npx cdk deploy',
    ...(created
      ? [
          'Fill the credentials secret the stack created (CredentialsSecretArn), with an API token:\n' +
            `     aws secretsmanager put-secret-value --secret-id <arn> --secret-string '{"type":"apiToken","apiToken":"…"}'\n` +
            `     or OAuth: okta-flow connect --config ${file} --client-id 0oa… --client-secret-file secret.txt --secret <arn>`,
        ]
      : []),
    `Run a flow in AWS now:  okta-flow invoke ${first} --config ${file}   (schedules start the others)`,
  ];
  return [
    `Wrote ${file}: ${flows.length} flows (${flows.join(', ')}) for ${config.okta.domain}.`,
    '',
    'Next steps:',
    ...steps.map((step, i) => `  ${i + 1}. ${step}`),
  ].join('\n');
}
