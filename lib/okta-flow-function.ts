/**
 * The one Lambda construct every okta-flow function uses, so the defaults live in one place: Node.js 22 on arm64,
 * local esbuild bundling (no Docker), minified ESM with source maps, Powertools environment, X-Ray tracing, and a log
 * group with a retention. Each function gets its own role with no managed policy; permissions are granted next to the
 * environment variable that names the resource (see runner-grants.ts).
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from './nag.js';
import { LOCK_FILE, PROJECT_ROOT } from './paths.js';

export const POWERTOOLS_SERVICE_NAME = 'okta-flow';
export const POWERTOOLS_METRICS_NAMESPACE = 'OktaFlow';

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
    super(scope, id, {
      entry: props.entry,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      handler: 'handler',
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
