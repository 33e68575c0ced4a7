/** `okta-flow validate [--config f]`: the config parses and every flow fits the catalog; says where and how not. */
import { loadConfig } from '../../lambdas/flow/config/load-config.js';
import type { Config } from '../../lambdas/flow/config/schema.js';

export function validateCommand(path: string): { config: Config; text: string } {
  const config = loadConfig(path);
  const lines = [`${path}: valid — ${config.flows.length} flow(s) for ${config.okta.domain}`];
  for (const flow of config.flows) {
    const schedule = flow.schedule ? `${flow.schedule.expression} (${flow.schedule.timezone})` : 'on demand only';
    lines.push(
      `  ${flow.name}: ${flow.object}, ${flow.mode}, ${schedule}${flow.enabled ? '' : ', disabled'}` +
        (flow.deleteDetection !== 'none' ? `, deletes: ${flow.deleteDetection}` : ''),
    );
  }
  return { config, text: lines.join('\n') };
}
