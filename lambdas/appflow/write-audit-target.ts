/**
 * WriteData's audit target from the connector Lambda's environment: the output bucket (OUTPUT_BUCKET), its prefix
 * (OUTPUT_PREFIX) and the data key (KMS_KEY_ARN, SSE-KMS like the data). Undefined when any is missing.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Store } from '../output/sinks/s3-store.js';
import type { WriteAuditTarget } from './deps.js';

export function writeAuditFromEnv(env: NodeJS.ProcessEnv, client: () => S3Client): WriteAuditTarget | undefined {
  const bucket = env.OUTPUT_BUCKET;
  const prefix = env.OUTPUT_PREFIX;
  const kmsKeyId = env.KMS_KEY_ARN;
  if (!bucket || prefix === undefined || !kmsKeyId) return undefined;
  return {
    store: createS3Store({ kind: 's3', client: client(), bucket, sseKms: { kmsKeyId } }),
    prefix: prefix.replace(/^\/+|\/+$/g, ''),
    locate: (key) => `s3://${bucket}/${key}`,
  };
}
