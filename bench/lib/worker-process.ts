/**
 * Runs one benchmark worker script as a child process (`node --import tsx <script> …`: one process, so the child's
 * pid is the worker's and /proc sampling sees its memory) and returns the JSON of the line it prints as
 * `RESULT {…}`. A hard timeout kills the worker, so no phase can run past its cap.
 */
import { spawn } from 'node:child_process';
import { type RssSummary, startRssSampler } from './rss.js';
import { REPO_ROOT } from './sandbox-process.js';

export interface WorkerRun<T> {
  readonly result: T;
  /** Sampled by the parent every 100 ms; the worker's own VmHWM (in its result) is the exact peak. */
  readonly rss: RssSummary | null;
  readonly wallMs: number;
}

export class WorkerProcessError extends Error {
  override readonly name = 'WorkerProcessError';
}

export interface WorkerOptions {
  /** Kill the worker after this long (SIGTERM, then SIGKILL 5 s later). */
  readonly timeoutMs: number;
  readonly env?: Record<string, string>;
  /** Lines of the worker's stderr are passed here (default: copied to our stderr). */
  readonly onStderr?: (text: string) => void;
}

export function runWorker<T>(script: string, args: readonly string[], options: WorkerOptions): Promise<WorkerRun<T>> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderrTail = '';
    let timedOut = false;
    let sampler: ReturnType<typeof startRssSampler> | null = null;
    let rss: RssSummary | null = null;
    try {
      if (child.pid !== undefined) sampler = startRssSampler(child.pid);
    } catch {
      sampler = null; // the child may already be gone; its own VmHWM still arrives in its result
    }
    const stopSampler = () => {
      try {
        rss = sampler?.stop() ?? null;
      } catch {
        rss = null;
      }
      sampler = null;
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // The result line is the worker's last act: sample once more while the process is still alive.
      if (stdout.includes('RESULT ') && stdout.endsWith('\n')) stopSampler();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      (options.onStderr ?? ((text: string) => process.stderr.write(text)))(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      stopSampler();
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stopSampler();
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (timedOut) {
        reject(new WorkerProcessError(`${script} ${args.join(' ')} ran past its ${options.timeoutMs} ms cap`));
      } else if (code !== 0 || line === undefined) {
        reject(
          new WorkerProcessError(
            `${script} exited (code ${String(code)}, signal ${String(signal)}) without a result; stderr: ${stderrTail}`,
          ),
        );
      } else {
        resolve({ result: JSON.parse(line.slice('RESULT '.length)) as T, rss, wallMs: performance.now() - started });
      }
    });
  });
}
