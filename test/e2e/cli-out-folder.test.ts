/** `okta-flow run --out <folder that cannot be created>` fails with a clear message and exit code 1, never loops. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'bin', 'okta-flow.ts');

describe('okta-flow run --out', () => {
  it.runIf(existsSync('/proc/self'))('under /proc: exits 1 naming the folder, within the process timeout', () => {
    const out = spawnSync(
      TSX,
      [CLI, 'run', 'groups-daily', '--sandbox', '--sandbox-users', '20', '--out', '/proc/okta-flow-x', '--no-progress'],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    // A hang would end in a kill by the timeout: status null, signal SIGTERM.
    expect(out.signal).toBeNull();
    expect(out.status).toBe(1);
    expect(`${out.stdout}${out.stderr}`).toContain('Cannot create the folder /proc/okta-flow-x');
  });
});
