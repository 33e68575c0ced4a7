/** ensureDir / ensureDirSync: nested folders are created; a folder that cannot be created fails fast and says why. */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDir, ensureDirSync, FolderCreateError } from '../../../lambdas/local-fs/ensure-dir.js';

const root = mkdtempSync(join(tmpdir(), 'okta-flow-ensure-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ensureDir', () => {
  it('creates every missing parent, and is a no-op when the folder exists', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await ensureDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await ensureDir(deep);
    ensureDirSync(join(root, 'a', 'x', 'y'));
    expect(statSync(join(root, 'a', 'x', 'y')).isDirectory()).toBe(true);
  });

  it('refuses a path under a file, naming the file', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    await expect(ensureDir(join(file, 'sub'))).rejects.toThrow(FolderCreateError);
    await expect(ensureDir(join(file, 'sub'))).rejects.toThrow(`Cannot create the folder ${file}`);
    expect(() => ensureDirSync(join(file, 'sub'))).toThrow(/a file of that name exists/);
  });

  // Node's recursive mkdir never settles under /proc on Linux; these must fail, not hang (the test times out if not).
  it.runIf(existsSync('/proc/self'))('fails at once under /proc instead of spinning', async () => {
    await expect(ensureDir('/proc/okta-flow-x/_state/flows')).rejects.toThrow(
      'Cannot create the folder /proc/okta-flow-x: its parent does not accept new folders (ENOENT)',
    );
    expect(() => ensureDirSync('/proc/okta-flow-x/y')).toThrow(FolderCreateError);
  });
});
