/**
 * The output bucket (data under <prefix>/<object>/, run state under <prefix>/_state/) and its access-log bucket, or
 * an existing bucket by name. A created bucket: SSE-KMS with bucket keys, Block Public Access, TLS-only, versioning
 * (state rollback, audit of watermark moves), abort incomplete multipart uploads after a day, optional expiry of data
 * (never of state), and server access logs.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';

export class OutputBucket extends Construct {
  readonly bucket: s3.IBucket;
  /** True when the stack created the bucket (its policy can be extended). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: { config: Config; key: kms.IKey }) {
    super(scope, id);
    const { output, flows } = props.config;
    const spec = output.bucket;
    if (!('create' in spec)) {
      this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', spec.name);
      this.created = false;
      return;
    }
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to a bucket with SSE-S3 (not SSE-KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket; logging its own accesses would loop.',
    });
    const objects = [...new Set(flows.map((f) => f.object))];
    const expiry = spec.expireAfterDays;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(spec.name === undefined ? {} : { bucketName: spec.name }),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'output-bucket/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // State objects are rewritten every run; old versions are only for a short rollback window.
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        // Expiry applies per object prefix so the run state under <prefix>/_state/ never expires.
        ...(expiry === undefined
          ? []
          : objects.map((object) => ({
              id: `expire-${object}`,
              prefix: `${output.prefix}/${object}/`,
              expiration: Duration.days(expiry),
            }))),
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.created = true;
  }
}
