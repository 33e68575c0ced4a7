/**
 * Optional client-side envelope encryption with the AWS Encryption SDK, for policies that require data to be
 * encrypted before it leaves the Lambda. Off by default: Athena cannot read such files (decrypt first; see README
 * "Decrypting client-side-encrypted files"). SSE-KMS still applies on top.
 */
import type { Duplex } from 'node:stream';
import { buildClient, CommitmentPolicy, type KeyringNode, KmsKeyringNode } from '@aws-crypto/client-node';

export interface ClientSideEncryption {
  /** A KMS keyring (`kmsKeyringFor(keyArn)`) in production; tests use a RawAesKeyringNode (no KMS). */
  readonly keyring: KeyringNode;
  /** Description for the manifest (never key material), e.g. the KMS key ARN. */
  readonly keyDescription: string;
}

/** Suffix of client-side-encrypted files: they are AWS Encryption SDK messages, not Parquet/CSV/JSON. */
export const ENCRYPTED_SUFFIX = '.encrypted';
/** Encryption-context key binding each ciphertext to its object key (checked when decrypting). */
export const CONTEXT_KEY = 'okta-flow:key';

const { encryptStream, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

export function kmsKeyringFor(kmsKeyArn: string): KmsKeyringNode {
  return new KmsKeyringNode({ generatorKeyId: kmsKeyArn });
}

/** A transform stream: plaintext in, an AWS Encryption SDK message out. */
export function createEncryptingStream(options: ClientSideEncryption, objectKey: string): Duplex {
  return encryptStream(options.keyring, { encryptionContext: { [CONTEXT_KEY]: objectKey } });
}

/**
 * Decrypts one downloaded file and checks it was encrypted for `objectKey` (a swapped or renamed file fails).
 * Holds the file in memory: for files larger than memory use the AWS Encryption CLI (see README).
 */
export async function decryptFile(keyring: KeyringNode, ciphertext: Uint8Array, objectKey: string): Promise<Buffer> {
  const { plaintext, messageHeader } = await decrypt(keyring, ciphertext);
  if (messageHeader.encryptionContext[CONTEXT_KEY] !== objectKey) {
    throw new Error(`Encrypted file was written for a different key than ${objectKey}; refusing to use it.`);
  }
  return plaintext;
}
