/**
 * The runner's logger: structured lines with persistent keys (flow, runId, object, slice). Powertools Logger in
 * Lambda; silent or in-memory for the CLI (which shows progress bars instead) and tests.
 */
import type { Logger } from '@aws-lambda-powertools/logger';

export type LogKeys = Record<string, string | number | boolean | undefined>;

export interface RunLogger {
  debug(message: string, extra?: LogKeys): void;
  info(message: string, extra?: LogKeys): void;
  warn(message: string, extra?: LogKeys): void;
  error(message: string, error?: unknown, extra?: LogKeys): void;
  /** A logger whose every line also carries `keys`. */
  child(keys: LogKeys): RunLogger;
}

function defined(keys: LogKeys): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(keys)) if (v !== undefined) out[k] = v;
  return out;
}

export function powertoolsRunLogger(logger: Logger): RunLogger {
  return {
    debug: (message, extra) => logger.debug(message, defined(extra ?? {})),
    info: (message, extra) => logger.info(message, defined(extra ?? {})),
    warn: (message, extra) => logger.warn(message, defined(extra ?? {})),
    error: (message, error, extra) => {
      if (error instanceof Error) logger.error(message, { ...defined(extra ?? {}), error });
      else logger.error(message, { ...defined(extra ?? {}), ...(error === undefined ? {} : { error: String(error) }) });
    },
    child: (keys) => {
      const child = logger.createChild();
      child.appendPersistentKeys(defined(keys));
      return powertoolsRunLogger(child);
    },
  };
}

export interface MemoryLogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly keys: Record<string, unknown>;
}

/** Records lines (with their persistent keys) in memory: tests assert on them, the CLI prints them with --verbose. */
export function memoryRunLogger(
  lines: MemoryLogLine[] = [],
  keys: LogKeys = {},
  onLine?: (line: MemoryLogLine) => void,
): RunLogger & { lines: MemoryLogLine[] } {
  const push = (level: MemoryLogLine['level'], message: string, extra?: LogKeys, error?: unknown) => {
    const rest = extra ?? {};
    const line: MemoryLogLine = {
      level,
      message,
      keys: {
        ...defined(keys),
        ...rest,
        ...(error instanceof Error ? { error: `${error.name}: ${error.message}` } : {}),
      },
    };
    lines.push(line);
    onLine?.(line);
  };
  return {
    lines,
    debug: (m, e) => push('debug', m, e),
    info: (m, e) => push('info', m, e),
    warn: (m, e) => push('warn', m, e),
    error: (m, error, e) => push('error', m, e, error),
    child: (more) => memoryRunLogger(lines, { ...keys, ...more }, onLine),
  };
}
