/**
 * The one Lambda construct every okta-flow function uses, so the defaults live in one place: Node.js 22 on arm64,
 * local esbuild bundling (no Docker), minified ESM with source maps, Powertools environment, X-Ray tracing, and a log
 * group with a retention. Each function gets its own role with no managed policy; permissions are granted next to the
 * environment variable that names the resource (see runner-functions.ts).
 *
 * The code: where the handler's source exists (the okta-flow project), it is bundled at synth with esbuild; where it
 * does not (the installed npm package ships compiled JavaScript, no sources), the bundle prebuilt into the package
 * by `npm run build` (scripts/build-lambda-bundles.ts, with these same bundling options) is the asset — so a user's
 * `cdk synth` needs neither okta-flow's sources nor esbuild.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from './nag.js';
import { LAMBDA_BUNDLES_DIR, LOCK_FILE, PROJECT_ROOT } from './paths.js';

export const POWERTOOLS_SERVICE_NAME = 'okta-flow';
export const POWERTOOLS_METRICS_NAMESPACE = 'OktaFlow';
/** Context key overriding the directory of prebuilt bundles (default: the package's dist/lambda-bundles). */
export const LAMBDA_BUNDLES_CONTEXT = 'okta-flow:lambdaBundlesDir';
/** The file of a prebuilt bundle, as NodejsFunction names its ESM output (handler `index.handler`). */
export const BUNDLE_FILE = 'index.mjs';

/** Neither the handler's source nor its prebuilt bundle exists. */
export class LambdaCodeNotFoundError extends Error {
  override readonly name = 'LambdaCodeNotFoundError';
}

/** Where one function's code comes from. */
export type LambdaCodeSource =
  | { readonly kind: 'source'; readonly entry: string }
  | { readonly kind: 'prebuilt'; readonly dir: string };

/** The handler source when it exists, else the prebuilt bundle named after it (`plan-run.ts` → `plan-run/`). */
export function lambdaCodeSource(scope: Construct, entry: string): LambdaCodeSource {
  if (existsSync(entry)) return { kind: 'source', entry };
  const configured: unknown = scope.node.tryGetContext(LAMBDA_BUNDLES_CONTEXT);
  const bundlesDir = typeof configured === 'string' && configured !== '' ? configured : LAMBDA_BUNDLES_DIR;
  const dir = join(bundlesDir, bundleName(entry));
  if (existsSync(join(dir, BUNDLE_FILE))) return { kind: 'prebuilt', dir };
  throw new LambdaCodeNotFoundError(
    `No code for the okta-flow Lambda ${bundleName(entry)}: neither its handler source ${entry} nor a prebuilt ` +
      `bundle ${join(dir, BUNDLE_FILE)} exists. In a clone of okta-flow run \`npm ci\`; an installed package ships ` +
      'its bundles in dist/lambda-bundles/ (reinstall it, or set context okta-flow:lambdaBundlesDir).',
  );
}

/** The bundle a handler entry file becomes: its file name without the extension. */
export function bundleName(entry: string): string {
  return basename(entry, extname(entry));
}

export interface OktaFlowFunctionProps {
  /** Path of the handler file (exporting `handler`), relative to the project root or absolute. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
}

export class OktaFlowFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: OktaFlowFunctionProps) {
    // A dedicated role without AWSLambdaBasicExecutionRole: log writes are granted on this function's log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `okta-flow ${id} Lambda`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const memorySize = props.memorySize ?? 512;
    const source = lambdaCodeSource(scope, props.entry);
    super(scope, id, {
      ...(source.kind === 'source'
        ? { entry: source.entry, projectRoot: PROJECT_ROOT, depsLockFilePath: LOCK_FILE, handler: 'handler' }
        : { code: lambda.Code.fromAsset(source.dir), handler: 'index.handler' }),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${heapLimitMiB(memorySize)}`,
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE,
        ...props.environment,
      },
      // Ignored for prebuilt code; scripts/build-lambda-bundles.ts builds the bundles through this very construct.
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Pin the SDK versions we test with instead of whatever the runtime ships.
        bundleAwsSDK: true,
        // ESM bundles of CommonJS dependencies still call require(); give them one.
        banner:
          "import { createRequire as __okfCreateRequire } from 'node:module'; const require = __okfCreateRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    logGroup.grantWrite(role);
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the runtime the project builds (esbuild target node22) and tests for; move ' +
        'to a newer runtime deliberately, with the bundle target, not implicitly.',
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) does not support resource-level permissions.',
    );
  }
}

/**
 * V8's old-space ceiling for a function of `memorySize` MiB: three quarters of it, leaving room for buffers, the
 * runtime and native memory. Streaming output keeps the live heap small, but V8 grows its heap lazily towards the
 * default ceiling (derived from the host, not the function); an explicit one makes it collect instead.
 */
export function heapLimitMiB(memorySize: number): number {
  return Math.floor(memorySize * 0.75);
}
