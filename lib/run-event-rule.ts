/**
 * EventBridge rules on a deployment's run events (lambdas/flow/events.ts): source `okta-flow` on the default bus,
 * detail types "Run Started" / "Run Completed" / "Run Failed", narrowed to the deployment's own flows by
 * `detail.flow` (the events carry no deployment name: two deployments in one account and region that share flow
 * names would match each other's events).
 */
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { RUN_EVENT_DETAIL_TYPES, RUN_EVENT_SOURCE, type RunEventKind } from '../lambdas/flow/events.js';

export interface OnRunEventOptions {
  /** Which events: `started`, `completed`, `failed` (default: all three). */
  readonly kinds?: readonly RunEventKind[];
  /** Which flows, by name (default: every flow of the config). */
  readonly flows?: readonly string[];
  /** Where matching events go; more with `rule.addTarget()`. */
  readonly target?: events.IRuleTarget;
  readonly description?: string;
  readonly ruleName?: string;
}

/** A rule option that names something the deployment does not have. */
export class RunEventRuleError extends Error {
  override readonly name = 'RunEventRuleError';
}

export function runEventPattern(config: Config, options: OnRunEventOptions = {}): events.EventPattern {
  const known = config.flows.map((f) => f.name);
  const flows = options.flows ?? known;
  const unknown = flows.filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new RunEventRuleError(
      `No flow ${unknown.map((f) => `"${f}"`).join(', ')} in this okta-flow config (flows: ${known.join(', ')}).`,
    );
  }
  if (flows.length === 0) throw new RunEventRuleError('onRunEvent: "flows" is empty; omit it for every flow.');
  const kinds = options.kinds ?? (Object.keys(RUN_EVENT_DETAIL_TYPES) as RunEventKind[]);
  if (kinds.length === 0) throw new RunEventRuleError('onRunEvent: "kinds" is empty; omit it for every kind.');
  return {
    source: [RUN_EVENT_SOURCE],
    detailType: [...new Set(kinds)].map((kind) => RUN_EVENT_DETAIL_TYPES[kind]),
    detail: { flow: [...new Set(flows)] },
  };
}

export function runEventRule(scope: Construct, id: string, config: Config, options: OnRunEventOptions): events.Rule {
  return new events.Rule(scope, id, {
    eventPattern: runEventPattern(config, options),
    description: options.description ?? `okta-flow run events of ${config.stack.name}`,
    ...(options.ruleName === undefined ? {} : { ruleName: options.ruleName }),
    ...(options.target === undefined ? {} : { targets: [options.target] }),
  });
}
