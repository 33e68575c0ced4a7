/** Importing the credentials secret by name, partial ARN or complete ARN (construct alone: no synth, no nag). */
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { type Config, parseConfig } from '../../lambdas/flow/config/index.js';
import { CredentialsSecret } from '../../lib/credentials-secret.js';
import { exampleConfigJson, type Json } from './synthesize.js';

function secretFor(credentialsSecret: unknown): CredentialsSecret {
  const example = exampleConfigJson() as Json;
  const config: Config = parseConfig({ ...example, okta: { ...example.okta, credentialsSecret } });
  const stack = new Stack();
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/abcd');
  return new CredentialsSecret(stack, 'Credentials', { config, key });
}

describe('CredentialsSecret imports', () => {
  it('a complete ARN (6-character suffix) is used as is', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-flow/creds-AbC123';
    const s = secretFor(arn);
    expect(s.created).toBe(false);
    expect(s.secretId).toBe(arn);
    expect(s.secret.secretFullArn).toBe(arn);
  });

  it('a partial ARN gets no full ARN, so grants use the -?????? suffix', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-flow/creds';
    const s = secretFor(arn);
    expect(s.secret.secretFullArn).toBeUndefined();
    expect(s.secretId).toBe(arn);
  });

  it('a name is passed to the runtime as the name (Secrets Manager accepts names as SecretId)', () => {
    const s = secretFor('okta-flow/creds');
    expect(s.secretId).toBe('okta-flow/creds');
    expect(s.secret.secretFullArn).toBeUndefined();
    expect(s.secret.secretName).toBe('okta-flow/creds');
  });
});
