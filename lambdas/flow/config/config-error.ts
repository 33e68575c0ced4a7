/** One thing wrong with a config: where, what, and what right looks like. */
export interface ConfigProblem {
  /** Dotted path into the config, e.g. `flows[0].schedule.expression`; empty for the whole document. */
  readonly path: string;
  /** What is wrong, e.g. `"every hour" is not a schedule expression`. */
  readonly message: string;
  /** A right value, already rendered, e.g. `"rate(1 hour)" or "cron(0 * * * ? *)"`. */
  readonly example?: string | undefined;
}

/** `<path>: <what is wrong>. Example: <right example>` */
export function formatProblem(problem: ConfigProblem, root = '(config)'): string {
  const where = problem.path === '' ? root : problem.path;
  const example = problem.example === undefined ? '' : `. Example: ${problem.example}`;
  return `${where}: ${problem.message}${example}`;
}

/** A config that cannot be used; lists every problem, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  readonly source: string;

  constructor(source: string, problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${source} has ${count}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`, options);
    this.problems = problems;
    this.source = source;
  }
}
