import { describe, expect, it } from 'vitest';
import { addMissingPlatformEntries, platformEntry } from '../../../scripts/lockfile-platform-entries.js';

describe('lockfile platform entries', () => {
  it('describes a platform binary package by os, cpu and libc', () => {
    expect(platformEntry('@biomejs/cli-linux-x64-musl', '2.6.8', { dev: true })).toEqual({
      version: '2.6.8',
      dev: true,
      optional: true,
      os: ['linux'],
      cpu: ['x64'],
      libc: ['musl'],
    });
    expect(platformEntry('@duckdb/node-bindings-win32-arm64', '^1.5.6', {})).toEqual({
      version: '1.5.6',
      optional: true,
      os: ['win32'],
      cpu: ['arm64'],
    });
  });

  it('leaves optional dependencies that are not platform binaries alone', () => {
    expect(platformEntry('fsevents', '2.3.3', {})).toBeNull();
    expect(platformEntry('@types/node', '20.0.0', {})).toBeNull();
  });

  it('adds only the missing entries, hoisted and sorted, and is idempotent', () => {
    const lock = {
      packages: {
        '': { name: 'x' },
        'node_modules/tool': {
          version: '1.0.0',
          dev: true,
          optionalDependencies: { '@t/cli-linux-x64': '1.0.0', '@t/cli-darwin-arm64': '1.0.0' },
        },
        'node_modules/@t/cli-linux-x64': { version: '1.0.0', dev: true, optional: true },
      },
    };
    expect(addMissingPlatformEntries(lock)).toEqual(['node_modules/@t/cli-darwin-arm64']);
    expect(Object.keys(lock.packages)).toEqual([
      '',
      'node_modules/@t/cli-darwin-arm64',
      'node_modules/@t/cli-linux-x64',
      'node_modules/tool',
    ]);
    expect(addMissingPlatformEntries(lock)).toEqual([]);
  });
});
