/**
 * Keeps `npm ci` working on machines whose npm registry serves only this platform's prebuilt binaries.
 *
 * Tools such as Biome, esbuild and DuckDB ship their binaries as optional per-platform packages. npm records every
 * platform's package in package-lock.json, but where the registry answers 404 for the other platforms' packages,
 * `npm install` silently leaves them out, and `npm ci` then rejects the lock ("Missing: @biomejs/cli-win32-x64@ from
 * lock file"). This script adds the missing entries — name, version, os/cpu/libc, optional — which `npm ci` checks
 * and then skips on every other platform, exactly as it does for entries npm wrote itself.
 *
 * Run after any `npm install` that changes dependencies: `npm run lockfile:platforms` (idempotent; `--check` exits 1
 * when entries are missing).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const OPERATING_SYSTEMS = new Set([
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'sunos',
  'win32',
]);
const CPUS = new Set(['arm', 'arm64', 'ia32', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'x64']);

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Lockfile {
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

/** The platform entry for an optional dependency named like `@scope/cli-linux-x64-musl`, or null if it isn't one. */
export function platformEntry(name: string, range: string, parent: LockEntry): LockEntry | null {
  const words = (name.split('/').pop() ?? '').split('-');
  const os = words.filter((w) => OPERATING_SYSTEMS.has(w));
  const cpu = words.filter((w) => CPUS.has(w));
  if (os.length !== 1 || cpu.length !== 1) return null;
  const entry: LockEntry = { version: range.replace(/^[\^~=]/, '') };
  if (parent.dev) entry.dev = true;
  entry.optional = true;
  entry.os = os;
  entry.cpu = cpu;
  if (words.includes('musl')) entry.libc = ['musl'];
  else if (os[0] === 'linux') entry.libc = ['glibc'];
  return entry;
}

/** Adds missing platform entries in place; returns their keys. */
export function addMissingPlatformEntries(lock: Lockfile): string[] {
  const added: string[] = [];
  for (const [key, meta] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
      const nested = key === '' ? `node_modules/${name}` : `${key}/node_modules/${name}`;
      const hoisted = `node_modules/${name}`;
      if (lock.packages[nested] || lock.packages[hoisted]) continue;
      const entry = platformEntry(name, range, meta);
      if (entry === null) continue;
      lock.packages[hoisted] = entry;
      added.push(hoisted);
    }
  }
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = 'package-lock.json';
  const lock = JSON.parse(readFileSync(path, 'utf8')) as Lockfile;
  const added = addMissingPlatformEntries(lock);
  if (process.argv.includes('--check')) {
    if (added.length > 0) {
      console.error(`package-lock.json lacks ${added.length} platform entries; run: npm run lockfile:platforms`);
      process.exit(1);
    }
  } else {
    writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(added.length === 0 ? 'package-lock.json: nothing to add' : `added:\n  ${added.join('\n  ')}`);
  }
}
