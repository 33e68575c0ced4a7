/** The editor JSON Schema of the config, generated from the zod schema (what the config accepts as written). */
import { z } from 'zod';
import { configSchema } from './schema.js';

export const CONFIG_SCHEMA_ID = 'https://github.com/okta-flow/okta-flow/schemas/okta-flow.config.schema.json';

export function buildConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...schema, $id: CONFIG_SCHEMA_ID };
}
