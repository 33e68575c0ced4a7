/**
 * Flow names must be unique (they name schedules, state keys and output). Checked on the raw document rather than
 * inside zod so the problem is reported even when other parts of the config are broken too.
 */
import type { ConfigProblem } from './config-error.js';

export function duplicateFlowNameProblems(raw: unknown): ConfigProblem[] {
  if (raw === null || typeof raw !== 'object' || !('flows' in raw) || !Array.isArray(raw.flows)) return [];
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  for (const [index, flow] of (raw.flows as unknown[]).entries()) {
    const name = flow !== null && typeof flow === 'object' && 'name' in flow ? flow.name : undefined;
    if (typeof name !== 'string') continue;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      continue;
    }
    problems.push({
      path: `flows[${index}].name`,
      message: `${JSON.stringify(name)} is already the name of flows[${first}]; flow names must be unique`,
      example: JSON.stringify(`${name}-2`),
    });
  }
  return problems;
}
