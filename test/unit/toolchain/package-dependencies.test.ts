/**
 * What the published package needs at run time is declared, and nothing more: every package the construct, the
 * CLI (with the sandbox it serves) and the config module import is a dependency (or, for the CDK libraries, a
 * peer), every dependency is imported by one of them (handler-only libraries are bundled into the prebuilt Lambdas
 * and stay dev dependencies), and the `exports`/`bin` targets are the compiled forms of real entry files. The import
 * graph is esbuild's, over the sources the package is compiled from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  files: string[];
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
/** The compiled file's source: dist/lib/index.js → lib/index.ts. */
const sourceOf = (target: string) => target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');
const ENTRIES = ['lib/index.ts', 'bin/okta-flow.ts', 'sandbox/cli.ts', 'lambdas/flow/config/index.ts'];

let imported: Set<string>;
beforeAll(async () => {
  const result = await build({
    entryPoints: ENTRIES,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    write: false,
    outdir: 'unused',
    logLevel: 'silent',
  });
  imported = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const i of input.imports) {
      if (!i.external || i.path.startsWith('node:')) continue;
      imported.add(/^((?:@[^/]+\/)?[^/]+)/.exec(i.path)?.[1] ?? i.path);
    }
  }
});

describe('package.json for the published package', () => {
  it('declares every package the construct, the CLI and the sandbox import', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    expect([...imported].filter((name) => !declared.has(name)).sort()).toEqual([]);
  });

  it('has no dependency that nothing in the package imports (tsx, handler-only libraries stay dev)', () => {
    expect(Object.keys(pkg.dependencies).filter((name) => !imported.has(name))).toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('tsx');
  });

  it('takes the CDK libraries as optional peers (the user app’s own copy; the CLI alone needs none)', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.peerDependenciesMeta?.[name]?.optional).toBe(true);
      expect(pkg.devDependencies).toHaveProperty(name);
      // The version the project builds and tests with is inside the peer range (^major.minor.patch).
      const [min, have] = [pkg.peerDependencies[name], pkg.devDependencies[name]].map((v) =>
        (v ?? '').replace(/^\^/, '').split('.').map(Number),
      ) as [number[], number[]];
      expect(have[0], name).toBe(min[0]);
      const compare = (have[1] ?? 0) - (min[1] ?? 0) || (have[2] ?? 0) - (min[2] ?? 0);
      expect(compare, name).toBeGreaterThanOrEqual(0);
    }
  });

  it('points exports and bin at compiled forms of entry files that exist', () => {
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : [t.default, t.types]));
    for (const target of [...targets, ...Object.values(pkg.bin)]) {
      if (target === './package.json') continue;
      if (target.endsWith('.json')) {
        expect(existsSync(target.replace(/^\.\/dist\//, '')), target).toBe(true);
        continue;
      }
      expect(existsSync(sourceOf(target.replace(/\.d\.ts$/, '.js'))), target).toBe(true);
    }
    expect(pkg.bin['okta-flow']).toBe('./dist/bin/okta-flow.js');
    expect(readFileSync('bin/okta-flow.ts', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(pkg.files).toContain('dist');
  });
});
