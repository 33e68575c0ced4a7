import { type ClientSideEncryption, kmsKeyringFor } from '../../output/client-side-encryption.js';
import type { Config } from '../config/index.js';

export class ClientSideEncryptionKeyError extends Error {
  override readonly name = 'ClientSideEncryptionKeyError';
}

/**
 * The envelope encryption a run must apply, from `output.encryption.clientSide`: the AWS Encryption SDK with a KMS
 * keyring on the flow's key (KMS generates and wraps each file's data key). Asking for it without a key is an
 * error, never a silent fallback to SSE-KMS alone.
 */
export function clientSideEncryptionFor(
  output: Config['output'],
  kmsKeyArn: string | undefined,
): ClientSideEncryption | undefined {
  if (!output.encryption.clientSide) return undefined;
  if (!kmsKeyArn) {
    throw new ClientSideEncryptionKeyError(
      'output.encryption.clientSide is on, but no KMS key is known to encrypt with: pass --kms-key <arn> ' +
        '(or set output.encryption.clientSide to false to rely on SSE-KMS alone).',
    );
  }
  return { keyring: kmsKeyringFor(kmsKeyArn), keyDescription: kmsKeyArn };
}
