/**
 * Writes schemas/okta-flow.config.schema.json from the zod config schema, so editors validate and complete
 * okta-flow.config.json/.yaml. A unit test fails when the committed file and the generated one differ:
 * run `npx tsx scripts/generate-config-schema.ts` after changing lambdas/flow/config/schema.ts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildConfigJsonSchema } from '../lambdas/flow/config/json-schema.js';

export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../schemas/okta-flow.config.schema.json', import.meta.url));

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CONFIG_SCHEMA_FILE, renderConfigJsonSchema());
  console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
}
