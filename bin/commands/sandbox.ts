/**
 * `okta-flow sandbox [options]`: the bundled local Okta org (the sandbox CLI, with its options passed through). The
 * installed package runs the compiled sandbox with node; a clone runs its TypeScript source through tsx (a dev
 * dependency there).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The sandbox CLI next to this module, and how to start it: `[program, ...args]` for process.execPath. */
export function sandboxCliCommand(moduleUrl: string = import.meta.url): string[] {
  if (moduleUrl.endsWith('.ts')) {
    const tsxCli = createRequire(moduleUrl).resolve('tsx/cli');
    return [tsxCli, fileURLToPath(new URL('../../sandbox/cli.ts', moduleUrl))];
  }
  return [fileURLToPath(new URL('../../sandbox/cli.js', moduleUrl))];
}

export function runSandboxCli(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...sandboxCliCommand(), ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}
