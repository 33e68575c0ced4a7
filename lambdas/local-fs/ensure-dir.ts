/**
 * Creating a local folder and its parents without `mkdir(…, { recursive: true })`: Node's recursive mkdir never
 * settles on some pseudo file systems (`--out /proc/x` spins forever on Linux procfs), so parents are created one at
 * a time from the deepest existing ancestor, and the first refusal becomes a clear error.
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A folder that cannot be created (or a path that is a file), naming the path and the system's reason. */
export class FolderCreateError extends Error {
  override readonly name = 'FolderCreateError';
  readonly path: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(
      `Cannot create the folder ${path}: ${reason}. Choose an output folder you can write to (--out <dir>).`,
      options,
    );
    this.path = path;
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function reasonOf(error: unknown): string {
  const code = codeOf(error);
  if (code === 'ENOENT') return 'its parent does not accept new folders (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'EROFS') return 'the file system is read-only (EROFS)';
  if (code === 'ENOTDIR') return 'a parent is a file, not a folder (ENOTDIR)';
  return error instanceof Error ? error.message : String(error);
}

type Probe = (path: string) => boolean | null;

/** The folders to create, outermost first (empty when `dir` exists as a folder); `isDir` null: absent. */
function missingFolders(dir: string, isDir: Probe): string[] {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const exists = isDir(current);
    if (exists === true) break;
    if (exists === false) throw new FolderCreateError(current, 'a file of that name exists');
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing.reverse();
}

function syncProbe(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    // ENOTDIR: a parent is a file; walking up finds it and names it.
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return null;
    throw new FolderCreateError(path, reasonOf(error), { cause: error });
  }
}

function created(folder: string, error: unknown): void {
  if (codeOf(error) !== 'EEXIST') throw new FolderCreateError(folder, reasonOf(error), { cause: error });
}

export async function ensureDir(dir: string): Promise<void> {
  // Finding what is missing is a few stats of existing ancestors: synchronous is fine and keeps one walk.
  for (const folder of missingFolders(dir, syncProbe)) {
    await mkdir(folder).catch((error: unknown) => created(folder, error));
  }
}

export function ensureDirSync(dir: string): void {
  for (const folder of missingFolders(dir, syncProbe)) {
    try {
      mkdirSync(folder);
    } catch (error) {
      created(folder, error);
    }
  }
}
