/**
 * The Okta credentials secret. Created EMPTY (CfnSecret with neither SecretString nor GenerateSecretString, so no
 * value ever appears in the template or is generated), encrypted with the data key, with a description saying how
 * to fill it; or an existing secret by name or ARN.
 */

import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { acknowledge } from './nag.js';

export const SECRET_DESCRIPTION =
  'Okta credentials for okta-flow, as JSON: {"type":"apiToken","apiToken":"..."}, an OAuth refresh token from ' +
  '`okta-flow connect` (writes it here), or {"type":"privateKeyJwt",...}. Fill with `okta-flow connect` or ' +
  '`aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string file://okta-credentials.json`.';

// A full secret ARN ends with "-" and the 6 random characters Secrets Manager appends to the name.
const COMPLETE_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;

export class CredentialsSecret extends Construct {
  readonly secret: secretsmanager.ISecret;
  /** What the runtime passes as SecretId: the ARN, or the name of a secret imported by name. */
  readonly secretId: string;
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: { config: Config; key: kms.IKey }) {
    super(scope, id);
    const spec = props.config.okta.credentialsSecret;
    if (typeof spec === 'string') {
      this.created = false;
      if (!spec.startsWith('arn:')) {
        this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'Secret', spec);
        this.secretId = spec;
      } else {
        this.secret = COMPLETE_ARN.test(spec)
          ? secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', spec)
          : secretsmanager.Secret.fromSecretPartialArn(this, 'Secret', spec);
        this.secretId = spec;
      }
      return;
    }
    const cfn = new secretsmanager.CfnSecret(this, 'Secret', {
      ...(spec.name === undefined ? {} : { name: spec.name }),
      description: SECRET_DESCRIPTION,
      kmsKeyId: props.key.keyArn,
    });
    acknowledge(
      cfn,
      'AwsSolutions-SMG4',
      'Okta credentials are not rotatable by a Secrets Manager rotation Lambda: API tokens and service-app keys are ' +
        'rotated in Okta, and OAuth refresh tokens rotate themselves on every use (the runner persists each one).',
    );
    this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Imported', cfn.ref);
    this.secretId = cfn.ref;
    this.created = true;
  }
}
