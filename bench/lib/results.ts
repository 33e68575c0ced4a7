/** Writes a benchmark result as JSON under bench/results/, with the machine it ran on. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './sandbox-process.js';

export function machineInfo() {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** Returns the file written: bench/results/<name>-<UTC timestamp>.json. */
export function writeResult(name: string, result: object, when = new Date()): string {
  const dir = join(REPO_ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = when
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const file = join(dir, `${name}-${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, at: when.toISOString(), machine: machineInfo(), ...result }, null, 2)}\n`,
  );
  return file;
}
