/**
 * `okta-flow invoke <flow>`: starts the deployed RunFlow state machine with a console-style input and follows the
 * execution to its end. The state machine ARN comes from --state-machine-arn, OKTA_FLOW_STATE_MACHINE_ARN, or the
 * account's state machines named `<stack>-RunFlow…` (the stack name from the config).
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

export async function findStateMachine(sfn: SFNClient, stackName: string): Promise<string> {
  const candidates: { name: string; arn: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    for (const sm of page.stateMachines ?? []) {
      if (sm.name && sm.stateMachineArn && sm.name.startsWith(`${stackName}-RunFlow`)) {
        candidates.push({ name: sm.name, arn: sm.stateMachineArn });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const [only, ...more] = candidates;
  if (only === undefined) {
    throw new InvokeError(
      `No state machine named ${stackName}-RunFlow… in this account and region: deploy the stack (cdk deploy), ` +
        'check AWS_REGION / AWS_PROFILE, or pass --state-machine-arn.',
    );
  }
  if (more.length > 0) {
    throw new InvokeError(
      `Several state machines match ${stackName}-RunFlow… (${candidates.map((c) => c.name).join(', ')}): pass --state-machine-arn.`,
    );
  }
  return only.arn;
}

export async function invokeFlow(options: InvokeOptions): Promise<InvokeResult> {
  const { sfn } = options;
  const arn = options.stateMachineArn ?? (await findStateMachine(sfn, options.stackName));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ trigger: 'manual', ...options.input }) }),
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
