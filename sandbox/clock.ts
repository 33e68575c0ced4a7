/** A controllable clock shared by the whole sandbox, so tests can move time and hit incremental boundaries. */
export interface SandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Jump to an absolute time (ms since the epoch). */
  set(ms: number): void;
  /** Move forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** When true, time follows the wall clock from the last `set`/`advance`; when false it stands still. */
  readonly running: boolean;
}

export function createClock(startMs: number, options: { running?: boolean } = {}): SandboxClock {
  const running = options.running ?? true;
  let base = startMs;
  let wallAtBase = Date.now();
  return {
    running,
    now: () => (running ? base + (Date.now() - wallAtBase) : base),
    set(ms) {
      base = ms;
      wallAtBase = Date.now();
    },
    advance(ms) {
      base = (running ? base + (Date.now() - wallAtBase) : base) + ms;
      wallAtBase = Date.now();
    },
  };
}

/** Okta's timestamp format: ISO-8601 UTC with milliseconds (`2013-07-02T21:36:25.344Z`). */
export function oktaTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
