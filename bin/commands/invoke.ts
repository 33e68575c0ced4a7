/**
 * `okta-flow invoke <flow>`: starts the deployed RunFlow state machine with a console-style input and follows the
 * execution to its end. The state machine ARN comes from --state-machine-arn, OKTA_FLOW_STATE_MACHINE_ARN, or the
 * account's state machines named `<stack>-RunFlow…` (the stack name from the config). `okta-flow invoke-apply`
 * (invoke-apply.ts) starts `<stack>-ApplyPlan` through the same lookup and polling.
 */
import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { RunInput } from '../../lambdas/flow/events.js';

export class InvokeError extends Error {
  override readonly name = 'InvokeError';
}

export interface InvokeOptions {
  readonly sfn: SFNClient;
  readonly input: Omit<RunInput, 'trigger'> & { trigger?: RunInput['trigger'] };
  readonly stateMachineArn?: string | undefined;
  readonly stackName: string;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onStatus?: (status: ExecutionStatus | string, executionArn: string) => void;
}

export interface InvokeResult {
  readonly executionArn: string;
  readonly status: string;
  readonly output: unknown;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

/** The stack's state machines `okta-flow` starts: `<stack>-RunFlow` (runs) and `<stack>-ApplyPlan` (write plans). */
export type DeployedMachine = 'RunFlow' | 'ApplyPlan';

export async function findStateMachine(
  sfn: SFNClient,
  stackName: string,
  machine: DeployedMachine = 'RunFlow',
): Promise<string> {
  const wanted = `${stackName}-${machine}`;
  const candidates: { name: string; arn: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    for (const sm of page.stateMachines ?? []) {
      if (sm.name && sm.stateMachineArn && sm.name.startsWith(wanted)) {
        candidates.push({ name: sm.name, arn: sm.stateMachineArn });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const [only, ...more] = candidates;
  if (only === undefined) {
    const hint = machine === 'ApplyPlan' ? ' (the stack has one only with okta.writeCredentialsSecret configured)' : '';
    throw new InvokeError(
      `No state machine named ${wanted}… in this account and region${hint}: deploy the stack (cdk deploy), ` +
        'check AWS_REGION / AWS_PROFILE, or pass --state-machine-arn.',
    );
  }
  if (more.length > 0) {
    throw new InvokeError(
      `Several state machines match ${wanted}… (${candidates.map((c) => c.name).join(', ')}): pass --state-machine-arn.`,
    );
  }
  return only.arn;
}

export interface FollowOptions {
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly input: unknown;
  readonly pollMs?: number | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly onStatus?: ((status: ExecutionStatus | string, executionArn: string) => void) | undefined;
}

/** Starts an execution and polls it to its end. */
export async function startAndFollow(options: FollowOptions): Promise<InvokeResult> {
  const { sfn } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: options.stateMachineArn, input: JSON.stringify(options.input) }),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new InvokeError('Step Functions returned no execution ARN');
  let last = '';
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = described.status ?? 'UNKNOWN';
    if (status !== last) options.onStatus?.(status, executionArn);
    last = status;
    if (status !== 'RUNNING' && status !== 'PENDING_REDRIVE') {
      return {
        executionArn,
        status,
        output: described.output ? (JSON.parse(described.output) as unknown) : null,
        error: described.error,
        cause: described.cause,
      };
    }
    await sleep(options.pollMs ?? 2000);
  }
}

export async function invokeFlow(options: InvokeOptions): Promise<InvokeResult> {
  const arn = options.stateMachineArn ?? (await findStateMachine(options.sfn, options.stackName));
  return startAndFollow({
    sfn: options.sfn,
    stateMachineArn: arn,
    input: { trigger: 'manual', ...options.input },
    pollMs: options.pollMs,
    sleep: options.sleep,
    onStatus: options.onStatus,
  });
}
