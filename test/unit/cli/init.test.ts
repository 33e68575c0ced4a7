/** `okta-flow init`: the starter config it writes, its `$schema` reference, its comments, and what it refuses. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InitError, initCommand, SHIPPED_SCHEMA_FILE, schemaReference } from '../../../bin/commands/init.js';
import { loadConfig } from '../../../lambdas/flow/config/load-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-flow-init-'));
});

/** The config without the editor-only keys, for comparing a JSON and a YAML document. */
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$comment' && key !== '$schema')
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}

describe('okta-flow init', () => {
  it('writes a valid config for the org: three scheduled starter flows, created secret, bucket and key', () => {
    const file = join(dir, 'okta-flow.config.json');
    const result = initCommand({ file, domain: 'acme.okta.com', timezone: 'Europe/Paris' });
    const config = loadConfig(file);
    expect(config).toEqual(result.config);
    expect(config.okta.domain).toBe('acme.okta.com');
    expect(config.okta.credentialsSecret).toMatchObject({ create: true });
    expect(config.output.bucket).toMatchObject({ create: true });
    expect(config.output.encryption.kmsKey).toMatchObject({ create: true });
    expect(config.flows.map((f) => [f.name, f.object, f.mode, f.schedule?.expression])).toEqual([
      ['users-hourly', 'User', 'incremental', 'rate(1 hour)'],
      ['groups-daily', 'Group', 'full', 'cron(0 2 * * ? *)'],
      ['apps-daily', 'Application', 'full', 'cron(30 2 * * ? *)'],
    ]);
    expect(config.flows[1]?.schedule?.timezone).toBe('Europe/Paris');
    expect(config.stack.name).toBe('OktaFlow');
  });

  it('comments every section and points $schema at a schema file that exists, relative to the config', () => {
    const file = join(dir, 'okta-flow.config.json');
    initCommand({ file, domain: 'acme.okta.com' });
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { $comment?: string }> & {
      $schema: string;
      flows: { $comment?: string }[];
    };
    expect(raw.$schema.startsWith('.')).toBe(true);
    expect(resolve(dir, raw.$schema)).toBe(SHIPPED_SCHEMA_FILE);
    expect(existsSync(resolve(dir, raw.$schema))).toBe(true);
    for (const section of ['okta', 'output', 'stack'] as const) expect(raw[section]?.$comment).toBeTruthy();
    for (const flow of raw.flows) expect(flow.$comment).toBeTruthy();
  });

  it('refers to a local install of the package when the project has one (from any folder below it)', () => {
    const installed = join(dir, 'node_modules', 'okta-flow', 'dist', 'schemas', 'okta-flow.config.schema.json');
    mkdirSync(join(installed, '..'), { recursive: true });
    writeFileSync(installed, '{}');
    mkdirSync(join(dir, 'config'));
    expect(schemaReference(dir)).toBe('./node_modules/okta-flow/dist/schemas/okta-flow.config.schema.json');
    expect(schemaReference(join(dir, 'config'))).toBe(
      '../node_modules/okta-flow/dist/schemas/okta-flow.config.schema.json',
    );
  });

  it('never overwrites: an existing file is left byte for byte, and the error says what to do', () => {
    const file = join(dir, 'okta-flow.config.json');
    writeFileSync(file, '{"mine": true}\n');
    expect(() => initCommand({ file, domain: 'acme.okta.com' })).toThrow(InitError);
    expect(() => initCommand({ file, domain: 'acme.okta.com' })).toThrow(/already exists.*never overwrites/);
    expect(readFileSync(file, 'utf8')).toBe('{"mine": true}\n');
  });

  it('refuses options that make an invalid config, naming the path and the option, and writes nothing', () => {
    const file = join(dir, 'okta-flow.config.json');
    const attempt = () => initCommand({ file, domain: 'acme.example.com', format: 'xml' });
    expect(attempt).toThrow(InitError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('okta.domain');
    expect(message).toContain('output.format');
    expect(message).toContain('--domain');
    expect(existsSync(file)).toBe(false);
  });

  it('writes YAML with # comments and a yaml-language-server $schema line, the same config as JSON', () => {
    const yamlFile = join(dir, 'okta-flow.config.yaml');
    const jsonFile = join(dir, 'same.config.json');
    const options = { domain: 'acme.okta.com', secret: 'okta-flow/okta', bucket: 'acme-okta', email: 'a@acme.com' };
    initCommand({ file: yamlFile, ...options });
    initCommand({ file: jsonFile, ...options });
    const text = readFileSync(yamlFile, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\.\.?\/.*okta-flow\.config\.schema\.json$/);
    expect(text).toContain('# Your Okta org');
    expect(text).not.toContain('$comment');
    expect(withoutComments(loadConfig(yamlFile))).toEqual(withoutComments(loadConfig(jsonFile)));
    expect(loadConfig(yamlFile).okta.credentialsSecret).toBe('okta-flow/okta');
    expect(loadConfig(yamlFile).output.bucket).toEqual({ name: 'acme-okta' });
  });

  it('prints next steps that fit the config: create the secret first when it is an existing one', () => {
    const named = initCommand({ file: join(dir, 'a.json'), domain: 'acme.okta.com', secret: 'okta-flow/okta' });
    const created = initCommand({ file: join(dir, 'b.json'), domain: 'acme.okta.com' });
    const steps = (message: string) => message.split('\n').filter((l) => /^ {2}\d\. /.test(l));
    expect(steps(named.message)[0]).toContain('Create the credentials secret okta-flow/okta');
    expect(named.message).not.toContain('Fill the credentials secret the stack created');
    expect(steps(created.message)[0]).toContain(`okta-flow validate --config ${join(dir, 'b.json')}`);
    expect(created.message).toContain('Fill the credentials secret the stack created');
    for (const message of [named.message, created.message]) {
      expect(message).toContain('--sandbox');
      expect(message).toContain("new OktaFlow(this, 'Okta'");
      expect(message).toContain('npx cdk deploy');
    }
  });
});
