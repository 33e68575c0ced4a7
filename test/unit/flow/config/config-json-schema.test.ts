import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../../../../scripts/generate-config-schema.js';

describe('schemas/okta-flow.config.schema.json', () => {
  it('is up to date with the zod schema (run `npx tsx scripts/generate-config-schema.ts` if not)', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).toBe(renderConfigJsonSchema());
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')));

  it('accepts the shipped examples', () => {
    const json = JSON.parse(readFileSync('examples/okta-flow.config.json', 'utf8'));
    const yaml = parseYaml(readFileSync('examples/okta-flow.config.yaml', 'utf8'));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(yaml), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects an unknown key and a wrong enum value, as the editor should', () => {
    const bad = {
      okta: { domain: 'acme.okta.com', credentialsSecret: 'x' },
      output: { bucket: { create: true }, fomat: 'csv' },
      flows: [{ name: 'u', object: 'Users' }],
    };
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(paths).toContain('/output additionalProperties');
    expect(paths).toContain('/flows/0/object enum');
  });
});
