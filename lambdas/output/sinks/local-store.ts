/**
 * Local-folder object store for local runs: the same keys as S3, as paths under rootDir. Files are written to a
 * temporary name and renamed into place, so a reader never sees a half-written part or manifest.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import { ensureDir, ensureDirSync } from '../../local-fs/ensure-dir.js';
import { OutputConfigError, OutputWriteError } from '../errors.js';
import type { LocalTarget, ObjectStore } from './types.js';

export function createLocalStore(target: LocalTarget): ObjectStore {
  const root = resolve(target.rootDir);
  const pathOf = (key: string): string => {
    const full = resolve(root, key);
    if (full !== root && !full.startsWith(root + sep)) {
      throw new OutputConfigError(`Key "${key}" escapes the output folder ${root}`);
    }
    return full;
  };
  const tempOf = (path: string): string => `${path}.tmp-${randomBytes(4).toString('hex')}`;
  return {
    description: `file://${root}`,
    openUpload(key) {
      const path = pathOf(key);
      const temp = tempOf(path);
      // Synchronous so the stream's (immediate) open finds the folder.
      // Not mkdir({recursive}): it never settles on procfs (see ensure-dir.ts).
      ensureDirSync(dirname(path));
      const opened = createWriteStream(temp, { flags: 'w' });
      let aborted = false;
      let completion: Promise<void> | undefined;
      const complete = async (): Promise<void> => {
        try {
          await finished(opened);
          if (aborted) throw new Error('aborted');
          await rename(temp, path);
        } catch (cause) {
          await rm(temp, { force: true });
          throw new OutputWriteError(`Writing ${path} failed: ${String(cause)}`, key, { cause });
        }
      };
      return {
        stream: opened,
        done() {
          completion ??= complete();
          return completion;
        },
        async abort() {
          aborted = true;
          opened.destroy();
          await finished(opened).catch(() => undefined);
          await rm(temp, { force: true });
        },
      };
    },
    async putObject(key, body) {
      const path = pathOf(key);
      const temp = tempOf(path);
      try {
        await ensureDir(dirname(path));
        await writeFile(temp, body);
        await rename(temp, path);
      } catch (cause) {
        await rm(temp, { force: true });
        throw new OutputWriteError(`Writing ${path} failed: ${String(cause)}`, key, { cause });
      }
    },
    async getObject(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw cause;
      }
    },
    async listKeys(prefix) {
      // Walk from the deepest existing folder of the prefix, then filter by the full prefix string.
      const slash = prefix.lastIndexOf('/');
      const base = pathOf(slash >= 0 ? prefix.slice(0, slash) : '');
      let entries: Dirent[];
      try {
        entries = await readdir(base, { recursive: true, withFileTypes: true });
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw cause;
      }
      const keys: string[] = [];
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const key = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
        if (key.startsWith(prefix) && !/\.tmp-[0-9a-f]{8}$/.test(key)) keys.push(key);
      }
      return keys.sort();
    },
    async deleteKeys(keys) {
      for (const key of keys) await rm(pathOf(key), { force: true });
    },
  };
}
