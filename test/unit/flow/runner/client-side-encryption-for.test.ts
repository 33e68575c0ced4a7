import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../lambdas/flow/config/index.js';
import {
  ClientSideEncryptionKeyError,
  clientSideEncryptionFor,
} from '../../../../lambdas/flow/runner/client-side-encryption-for.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function outputWith(clientSide: boolean) {
  return parseConfig({
    okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/okta' },
    output: { bucket: { create: true }, encryption: { kmsKey: { create: true }, clientSide } },
    flows: [{ name: 'users-full', object: 'User' }],
  }).output;
}

describe('clientSideEncryptionFor', () => {
  it('is off unless the config asks for it', () => {
    expect(clientSideEncryptionFor(outputWith(false), KEY)).toBeUndefined();
  });

  it('encrypts under the flow key with a KMS keyring when asked', () => {
    const encryption = clientSideEncryptionFor(outputWith(true), KEY);
    expect(encryption?.keyDescription).toBe(KEY);
    expect(encryption?.keyring.constructor.name).toBe('KmsKeyringNode');
  });

  it('refuses to fall back silently when no key is known', () => {
    expect(() => clientSideEncryptionFor(outputWith(true), undefined)).toThrow(ClientSideEncryptionKeyError);
    expect(() => clientSideEncryptionFor(outputWith(true), undefined)).toThrow(/pass --kms-key <arn>/);
  });
});
