import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findFlow, loadConfig, UnknownFlowError } from '../../../../lambdas/flow/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'okta-flow-config-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the JSON and YAML examples', () => {
    expect(loadConfig('examples/okta-flow.config.json').flows).toHaveLength(5);
    expect(loadConfig('examples/okta-flow.config.yaml').flows).toHaveLength(5);
  });

  it('says where JSON is broken', () => {
    const path = file('broken.json', '{\n  "okta": {\n    "domain": "acme.okta.com",\n  }\n}\n');
    const error = errorOf(() => loadConfig(path));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toMatch(/^is not valid JSON at line 4, column 3: /);
  });

  it('rejects YAML with duplicate keys', () => {
    const path = file('dup.yaml', 'okta:\n  domain: a.okta.com\nokta:\n  domain: b.okta.com\n');
    const error = errorOf(() => loadConfig(path));
    expect(error.problems[0]?.message).toMatch(/^is not valid YAML: Map keys must be unique/);
  });

  it('names the missing file', () => {
    const error = errorOf(() => loadConfig(join(dir, 'nope.json')));
    expect(error.message).toBe(
      `${join(dir, 'nope.json')} has 1 problem:\n  - (config): file not found. Example: okta-flow validate --config examples/okta-flow.config.json`,
    );
  });

  it('reports schema problems with the file as the source', () => {
    const path = file(
      'bad.yaml',
      'okta: { domain: acme.okta.com, credentialsSecret: s }\noutput: { bucket: { create: true } }\nflows: []\n',
    );
    expect(errorOf(() => loadConfig(path)).message.split('\n')[0]).toBe(`${path} has 1 problem:`);
  });
});

describe('findFlow', () => {
  const config = loadConfig('examples/okta-flow.config.json');

  it('finds a flow by name', () => {
    expect(findFlow(config, 'groups-daily').object).toBe('Group');
  });

  it('names the flows and suggests the closest one', () => {
    expect(() => findFlow(config, 'user-hourly')).toThrow(
      'No flow is named "user-hourly". Did you mean "users-hourly"? Configured flows: users-hourly, groups-daily, apps-daily, devices-6h, user-types-weekly.',
    );
    expect(() => findFlow(config, 'user-hourly')).toThrow(UnknownFlowError);
  });
});
