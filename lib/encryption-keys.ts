/**
 * The data key (SSE-KMS for the output bucket, the credentials secret and the run state) and the key for operational
 * messages (the alarm topic and the schedules' dead-letter queue).
 *
 * A key the stack creates has rotation on, an alias, and the default key policy (the account may delegate use
 * through IAM; the stack's roles get IAM statements naming only the actions they need). Service principals that
 * cannot use IAM (CloudWatch alarms publishing to an encrypted topic) get a key-policy statement scoped to this
 * account. An imported key's policy cannot be changed from here, so the operational messages then use a small key of
 * their own rather than asking the user to edit their key's policy for CloudWatch.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';

export class EncryptionKeys extends Construct {
  /** Encrypts data, state and the credentials secret. */
  readonly dataKey: kms.IKey;
  /** Encrypts the alarm topic and the dead-letter queue; the data key when the stack created it. */
  readonly opsKey: kms.IKey;
  /** True when the stack created the data key (its policy can be extended). */
  readonly dataKeyCreated: boolean;

  constructor(scope: Construct, id: string, props: { config: Config }) {
    super(scope, id);
    const spec = props.config.output.encryption.kmsKey;
    if ('arn' in spec) {
      this.dataKey = kms.Key.fromKeyArn(this, 'DataKey', spec.arn);
      this.dataKeyCreated = false;
      this.opsKey = newKey(this, 'OpsKey', 'okta-flow alarm topic and schedule dead-letter queue');
    } else {
      const key = newKey(this, 'DataKey', 'okta-flow data, run state and Okta credentials', spec.alias);
      this.dataKey = key;
      this.dataKeyCreated = true;
      this.opsKey = key;
    }
    allowCloudWatchAlarms(this.opsKey as kms.Key);
  }
}

function newKey(scope: Construct, id: string, description: string, alias?: string): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    ...(alias === undefined ? {} : { alias }),
    // Data written with this key is unreadable without it: keep it when the stack goes (7-day pending window).
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(7),
  });
}

/** CloudWatch alarm actions publish to the KMS-encrypted topic as the cloudwatch service principal. */
function allowCloudWatchAlarms(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
    }),
  );
}
