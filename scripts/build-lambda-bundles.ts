/**
 * Prebuilds every Lambda handler (each `lambdas/handlers/<name>.ts`) into `dist/lambda-bundles/<name>/` — `index.mjs`
 * and its source map — the assets the installed package deploys, so a user's `cdk synth` needs neither okta-flow's
 * sources nor esbuild (lib/okta-flow-function.ts picks them when the sources are absent).
 *
 * The bundles are made by OktaFlowFunction itself, in a throwaway CDK app: NodejsFunction's local esbuild bundling
 * with the construct's own options, so a prebuilt bundle is exactly what a synth inside the project bundles.
 *
 * Source maps (no sources content) name files relative to the project (`lambdas/flow/…`, `node_modules/zod/…`)
 * rather than to the temporary directory the bundle was built in, so the package holds no build-machine paths.
 *
 * `npx tsx scripts/build-lambda-bundles.ts [outDir]` (part of `npm run build`); prints each bundle's size.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { OktaFlowFunction } from '../lib/okta-flow-function.js';
import { HANDLERS_DIR, PROJECT_ROOT } from '../lib/paths.js';

export const DEFAULT_BUNDLES_OUT = fileURLToPath(new URL('../dist/lambda-bundles', import.meta.url));

export interface BuiltBundle {
  readonly name: string;
  readonly dir: string;
  /** Bytes of each file of the bundle, by file name. */
  readonly files: Readonly<Record<string, number>>;
}

/** The handler entry files: every `.ts` file of the handlers directory, by bundle name. */
export function handlerEntries(handlersDir = HANDLERS_DIR): { name: string; entry: string }[] {
  return readdirSync(handlersDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.ts'.length), entry: join(handlersDir, file) }));
}

export function buildLambdaBundles(outDir = DEFAULT_BUNDLES_OUT, handlersDir = HANDLERS_DIR): BuiltBundle[] {
  const cdkOut = mkdtempSync(join(tmpdir(), 'okta-flow-bundles-'));
  try {
    // Asset metadata names each function's staged asset directory (as the cdk CLI asks for it).
    const app = new App({ outdir: cdkOut, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Bundles');
    const functions = handlerEntries(handlersDir).map(({ name, entry }) => ({
      name,
      fn: new OktaFlowFunction(stack, name, { entry, description: name, timeout: Duration.minutes(1) }),
    }));
    app.synth();
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    return functions.map(({ name, fn }) => {
      const assetPath = (fn.node.defaultChild as lambda.CfnFunction).getMetadata('aws:asset:path');
      if (typeof assetPath !== 'string') throw new Error(`no bundled asset for ${name}`);
      const dir = join(outDir, name);
      const staged = join(cdkOut, assetPath);
      cpSync(staged, dir, { recursive: true });
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.map'))) {
        writeFileSync(join(dir, file), projectRelativeSourceMap(readFileSync(join(dir, file), 'utf8'), staged));
      }
      const files = Object.fromEntries(
        readdirSync(dir)
          .sort()
          .map((file) => [file, statSync(join(dir, file)).size]),
      );
      return { name, dir, files };
    });
  } finally {
    rmSync(cdkOut, { recursive: true, force: true });
  }
}

/** A source map whose `sources` are relative to `builtIn` rewritten relative to the project root. */
export function projectRelativeSourceMap(json: string, builtIn: string, projectRoot = PROJECT_ROOT): string {
  const map = JSON.parse(json) as { sources?: string[] };
  const sources = (map.sources ?? []).map((source) =>
    relative(projectRoot, resolve(builtIn, source)).split(sep).join('/'),
  );
  return JSON.stringify({ ...map, sources });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildLambdaBundles(process.argv[2] ?? DEFAULT_BUNDLES_OUT);
  for (const bundle of built) {
    const sizes = Object.entries(bundle.files).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KiB`);
    console.log(`${bundle.name.padEnd(20)} ${sizes.join(', ')}`);
  }
}
