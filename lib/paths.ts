/** Absolute paths inside the project, independent of the working directory `cdk` or the tests run in. */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const HANDLERS_DIR = fileURLToPath(new URL('../lambdas/handlers', import.meta.url));
export const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));
/**
 * Prebuilt Lambda bundles (`<handler>/index.mjs`), written by `npm run build` to dist/lambda-bundles/: from the
 * compiled package (dist/lib/paths.js) that is this directory's sibling; in a clone (lib/paths.ts) it does not
 * exist, and the handler sources are bundled instead.
 */
export const LAMBDA_BUNDLES_DIR = fileURLToPath(new URL('../lambda-bundles', import.meta.url));
