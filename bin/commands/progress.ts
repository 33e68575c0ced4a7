/**
 * Progress bars on stderr (records, pages, duplicates dropped, rate-limit waits per object), one line per running
 * flow; while a task waits for a rate-limit reset the line says so, with the time left. Off when stderr is not a TTY
 * (CI, pipes), so logs stay clean.
 */
import cliProgress from 'cli-progress';
import type { ProgressUpdate } from '../../lambdas/flow/runner/types.js';

export interface RunProgress {
  update(update: ProgressUpdate): void;
  stop(): void;
}

export function createRunProgress(enabled: boolean): RunProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const multi = new cliProgress.MultiBar(
    {
      format:
        '{flow} {object} | {records} records | {pages} pages | {duplicates} duplicates dropped | rate-limit wait {wait} s{waiting}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; tasks: Map<string, ProgressUpdate> }>();
  return {
    update(update) {
      const key = `${update.flow}/${update.object}`;
      let entry = bars.get(key);
      if (entry === undefined) {
        entry = { bar: multi.create(1, 0), tasks: new Map() };
        bars.set(key, entry);
      }
      entry.tasks.set(update.taskId, update);
      const all = [...entry.tasks.values()];
      entry.bar.update(0, {
        flow: update.flow,
        object: update.object,
        records: all.reduce((n, t) => n + t.records, 0),
        pages: all.reduce((n, t) => n + t.pages, 0),
        duplicates: all.reduce((n, t) => n + (t.duplicates ?? 0), 0),
        wait: (all.reduce((n, t) => n + t.rateLimitWaitMs, 0) / 1000).toFixed(1),
        waiting: waitingText(all),
      });
    },
    stop: () => multi.stop(),
  };
}

/** ` | waiting 42 s for GET /api/v1/users to reset` while the latest-ending wait of any task is still running. */
export function waitingText(tasks: readonly ProgressUpdate[], now = Date.now()): string {
  const waits = tasks.flatMap((t) => (t.waiting && t.waiting.untilMs > now ? [t.waiting] : []));
  if (waits.length === 0) return '';
  const longest = waits.reduce((a, b) => (b.untilMs > a.untilMs ? b : a));
  return ` | waiting ${Math.ceil((longest.untilMs - now) / 1000)} s for ${longest.bucket} to reset`;
}
