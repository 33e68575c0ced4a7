/**
 * The ApplyPlan state machine in the synthesized stack: named <stack>-ApplyPlan, only with okta.writeCredentialsSecret,
 * cdk-nag clean, its two functions with exactly their grants, and the write secret readable by them alone.
 */
import { describe, expect, it } from 'vitest';
import { exampleConfigJson, type Json, synthesize } from './synthesize.js';

const WRITE_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-flow/okta-write-AbCdEf';

function withWriteSecret(secret = WRITE_SECRET) {
  const config = exampleConfigJson();
  (config.okta as Record<string, unknown>).writeCredentialsSecret = secret;
  return config;
}

function policiesByRole(json: Json): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  for (const r of Object.values(json.Resources as Record<string, Json>)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    for (const role of r.Properties.Roles) {
      const id = String(role.Ref);
      out.set(id, [...(out.get(id) ?? []), ...r.Properties.PolicyDocument.Statement]);
    }
  }
  return out;
}

describe('ApplyPlan state machine', () => {
  it('is absent without okta.writeCredentialsSecret', () => {
    const { json } = synthesize(exampleConfigJson());
    const names = Object.values(json.Resources as Record<string, Json>)
      .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map((r) => r.Properties.StateMachineName);
    expect(names).toEqual(['OktaFlow-RunFlow']);
  });

  it('<stack>-ApplyPlan: cdk-nag clean; least-privilege roles; only its functions read the write secret', () => {
    const { json, nagErrors, stack } = synthesize(withWriteSecret());
    expect(nagErrors).toEqual([]);
    const machines = Object.values(json.Resources as Record<string, Json>).filter(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    );
    expect(machines.map((r) => r.Properties.StateMachineName)).toEqual(['OktaFlow-RunFlow', 'OktaFlow-ApplyPlan']);
    const apply = stack.oktaFlow.applyPlan;
    if (!apply) throw new Error('no ApplyPlan');
    const roleId = (f: typeof apply.resolve) => stack.getLogicalId(f.role?.node.defaultChild as never);
    const policies = policiesByRole(json);
    const sids = (id: string) =>
      (policies.get(id) ?? [])
        .filter((s) => s.Sid !== undefined) // the function’s own logs and X-Ray statements have none
        .map((s) => `${s.Sid}:${[s.Action].flat().join(',')}`)
        .sort();
    const common = [
      'DataKey:kms:Decrypt,kms:GenerateDataKey',
      'ListBucketSoMissingKeysAre404:s3:ListBucket',
      'ReadPlansAndAudits:s3:GetObject',
      'ReadWriteCredential:secretsmanager:GetSecretValue',
      'WriteResolutionAndAudit:s3:PutObject',
    ];
    expect(sids(roleId(apply.resolve))).toEqual(common);
    expect(sids(roleId(apply.execute))).toEqual([...common, 'ApplyEvents:events:PutEvents'].sort());
    // The write secret appears in no other policy of the stack.
    const readers = [...policies.entries()]
      .filter(([, statements]) => JSON.stringify(statements).includes('okta-flow/okta-write'))
      .map(([id]) => id)
      .sort();
    expect(readers).toEqual([roleId(apply.resolve), roleId(apply.execute)].sort());
    // Writes land under <prefix>/apply/ only.
    const put = (policies.get(roleId(apply.execute)) ?? []).find((s) => s.Sid === 'WriteResolutionAndAudit');
    expect(JSON.stringify(put.Resource)).toContain('/okta/apply/*');
    const env =
      json.Resources[stack.getLogicalId(apply.execute.node.defaultChild as never)].Properties.Environment.Variables;
    expect(env.WRITE_CREDENTIALS_SECRET_ARN).toBe(WRITE_SECRET);
    expect(env.EVENT_BUS_NAME).toBe('default');
  });

  it('an ApplyPlan execution that failed, timed out or was aborted alarms to the topic; RunFlow’s alarms stay', () => {
    const { json, stack } = synthesize(withWriteSecret());
    const apply = stack.oktaFlow.applyPlan;
    if (!apply) throw new Error('no ApplyPlan');
    const machineId = stack.getLogicalId(apply.stateMachine.node.defaultChild as never);
    const topicId = stack.getLogicalId(stack.oktaFlow.alarmTopic.node.defaultChild as never);
    const alarms = Object.entries(json.Resources as Record<string, Json>).filter(
      ([, r]) => r.Type === 'AWS::CloudWatch::Alarm',
    );
    const [found, ...more] = alarms.filter(([id]) => id.startsWith('MonitoringApplyPlanFailed'));
    expect(more).toEqual([]);
    const props = found?.[1].Properties;
    expect(props.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(props.Threshold).toBe(1);
    const stats = (props.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(stats.map((m) => m.MetricName)).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']);
    for (const m of stats) expect(m.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: { Ref: machineId } }]);
    // RunFlow's alarm is still on RunFlow, and the stack without a write secret has no ApplyPlan alarm.
    const runFlowId = stack.getLogicalId(stack.oktaFlow.runFlow.stateMachine.node.defaultChild as never);
    const [runFailed] = alarms.filter(([id]) => id.startsWith('MonitoringRunFailed'));
    expect(JSON.stringify(runFailed?.[1].Properties.Metrics)).toContain(runFlowId);
    expect(JSON.stringify(runFailed?.[1].Properties.Metrics)).not.toContain(machineId);
    expect(stack.oktaFlow.alarms).toHaveLength(synthesize(exampleConfigJson()).stack.oktaFlow.alarms.length + 1);
  });

  it('the definition: dry run unless execute is true and rows will change; writes are never retried', () => {
    const { json } = synthesize(withWriteSecret('okta-flow/okta-write'));
    const machine = Object.values(json.Resources as Record<string, Json>).find(
      (r) => r.Properties?.StateMachineName === 'OktaFlow-ApplyPlan',
    );
    const text = JSON.stringify(machine.Properties.DefinitionString);
    expect(text).toContain('\\"BooleanEquals\\":true');
    expect(text).toContain('$.counts.willChange');
    expect(text).not.toContain('OktaNetworkError');
  });
});
