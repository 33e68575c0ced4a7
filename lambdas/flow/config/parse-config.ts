/**
 * Validates a config document (already parsed from JSON or YAML) and applies defaults. Every problem is collected
 * and thrown together as one ConfigError, so a user fixes a config in one pass rather than one error per run.
 */
import { catalogProblems } from './check-against-catalog.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { duplicateFlowNameProblems } from './duplicate-flow-names.js';
import { problemsFromIssues } from './format-issues.js';
import { type Config, configSchema } from './schema.js';

export function parseConfig(raw: unknown, source = 'okta-flow config'): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  const problems: ConfigProblem[] = result.success ? [] : problemsFromIssues(result.error.issues, configSchema);
  problems.push(...duplicateFlowNameProblems(raw));
  // Catalog rules need a structurally valid config; they run once the structure is right.
  if (result.success) problems.push(...catalogProblems(result.data));
  if (!result.success || problems.length > 0) throw new ConfigError(source, sortByPath(problems));
  return result.data;
}

/** Document order: paths compare segment by segment, numbers numerically. */
function sortByPath(problems: ConfigProblem[]): ConfigProblem[] {
  const segments = (path: string) => path.split(/[.[\]]+/).filter((s) => s !== '');
  const compare = (a: string, b: string) => {
    const [x, y] = [segments(a), segments(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const [p, q] = [x[i] ?? '', y[i] ?? ''];
      if (p === q) continue;
      return /^\d+$/.test(p) && /^\d+$/.test(q) ? Number(p) - Number(q) : 0;
    }
    return 0;
  };
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => compare(a.problem.path, b.problem.path) || a.index - b.index)
    .map(({ problem }) => problem);
}
