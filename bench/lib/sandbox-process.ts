/**
 * Runs the sandbox as a child process (`node --import tsx sandbox/cli.ts … --json --port 0`) so benchmarks measure
 * its memory apart from the client's. `node --import tsx` instead of `npx tsx`: one process, so the child's pid is
 * the server's pid (npx and the tsx CLI would each add a wrapper process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SandboxProcessOptions {
  readonly users: number;
  readonly seed?: number;
  /** More CLI flags, e.g. ['--no-rate-limits']. */
  readonly args?: readonly string[];
  /** Flags for node itself, e.g. ['--max-old-space-size=8192']. */
  readonly nodeArgs?: readonly string[];
  /** How long generation + listen may take before giving up (default 10 minutes). */
  readonly startTimeoutMs?: number;
}

/** The one JSON line the sandbox CLI prints once it listens. */
export interface SandboxStartInfo {
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly [key: string]: unknown;
}

export interface SandboxProcess {
  readonly pid: number;
  readonly info: SandboxStartInfo;
  /** Milliseconds from spawn to the JSON line (org generation + listen). */
  readonly startMs: number;
  stop(): Promise<void>;
}

export class SandboxProcessError extends Error {
  override readonly name = 'SandboxProcessError';
}

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const args = [
    ...(options.nodeArgs ?? []),
    '--import',
    'tsx',
    'sandbox/cli.ts',
    '--users',
    String(options.users),
    '--seed',
    String(options.seed ?? 42),
    '--json',
    '--port',
    '0',
    ...(options.args ?? []),
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const describe = () => `sandbox/cli.ts ${args.slice(args.indexOf('sandbox/cli.ts') + 1).join(' ')}`;

  try {
    const info = await firstJsonLine(child, options.startTimeoutMs ?? 600_000, describe, stderrTail);
    const pid = child.pid;
    if (pid === undefined) throw new SandboxProcessError(`${describe()} has no pid`);
    return { pid, info, startMs: performance.now() - started, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function firstJsonLine(
  child: ChildProcess,
  timeoutMs: number,
  describe: () => string,
  stderrTail: readonly string[],
): Promise<SandboxStartInfo> {
  if (child.stdout === null) throw new SandboxProcessError('child has no stdout');
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => lines.close(), timeoutMs);
  const exited = once(child, 'exit').then(([code, signal]) => {
    lines.close();
    return `exited (code ${String(code)}, signal ${String(signal)})`;
  });
  try {
    for await (const line of lines) {
      const info = parseStartLine(line);
      if (info !== null) return info;
    }
  } finally {
    clearTimeout(timer);
  }
  const why =
    child.exitCode !== null || child.signalCode !== null ? await exited : `printed no JSON line in ${timeoutMs} ms`;
  throw new SandboxProcessError(`${describe()} ${why}; stderr: ${stderrTail.join('').slice(-2000)}`);
}

function parseStartLine(line: string): SandboxStartInfo | null {
  if (!line.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return null;
    const { baseUrl, apiToken } = value as Record<string, unknown>;
    return typeof baseUrl === 'string' && typeof apiToken === 'string' ? (value as SandboxStartInfo) : null;
  } catch {
    return null;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
