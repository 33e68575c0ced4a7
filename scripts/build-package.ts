/**
 * `npm run build`: the publishable package in dist/ — what `npm pack` ships (package.json `files`).
 *
 *   dist/{bin,lib,lambdas,sandbox}/   ESM JavaScript + .d.ts (tsc -p tsconfig.build.json): the construct, the CLI
 *                                     (and the sandbox it serves), the config schema and types
 *   dist/lambda-bundles/<handler>/    each Lambda prebuilt (scripts/build-lambda-bundles.ts)
 *   dist/schemas/, dist/examples/     the config JSON Schema and the example config (`run --sandbox`'s default)
 *
 * Starts from an empty dist/ so nothing stale ships.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLambdaBundles } from './build-lambda-bundles.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
chmodSync(join(DIST, 'bin', 'okta-flow.js'), 0o755);
cpSync(join(ROOT, 'schemas', 'okta-flow.config.schema.json'), join(DIST, 'schemas', 'okta-flow.config.schema.json'));
cpSync(join(ROOT, 'examples', 'okta-flow.config.json'), join(DIST, 'examples', 'okta-flow.config.json'));
for (const bundle of buildLambdaBundles(join(DIST, 'lambda-bundles'))) {
  const sizes = Object.entries(bundle.files).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KiB`);
  console.log(`lambda-bundles/${bundle.name.padEnd(18)} ${sizes.join(', ')}`);
}
