/** Looks a flow up by name, for run inputs and the CLI; an unknown name gets the list and a suggestion. */
import { closest } from './format-issues.js';
import type { Config, FlowConfig } from './schema.js';

export class UnknownFlowError extends Error {
  override readonly name = 'UnknownFlowError';
  readonly flow: string;

  constructor(flow: string, known: readonly string[]) {
    const suggestion = closest(flow, known);
    const hint = suggestion ? `Did you mean "${suggestion}"? ` : '';
    super(`No flow is named "${flow}". ${hint}Configured flows: ${known.join(', ')}.`);
    this.flow = flow;
  }
}

export function findFlow(config: Pick<Config, 'flows'>, name: string): FlowConfig {
  const flow = config.flows.find((f) => f.name === name);
  if (flow === undefined)
    throw new UnknownFlowError(
      name,
      config.flows.map((f) => f.name),
    );
  return flow;
}
