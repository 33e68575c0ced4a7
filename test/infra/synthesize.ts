/**
 * Synthesizes the okta-flow stack for a config, the way bin/app.ts does (cdk-nag AwsSolutions registered), but with
 * bundling skipped (context aws:cdk:bundling-stacks = []) so template tests stay fast. Each test file synthesizes
 * each config variant once and shares the result across its assertions.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type Config, parseConfig } from '../../lambdas/flow/config/index.js';
import { OktaFlowStack } from '../../lib/okta-flow-stack.js';

export const EXAMPLE_CONFIG_FILE = fileURLToPath(new URL('../../examples/okta-flow.config.json', import.meta.url));

export function exampleConfigJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped; tests index into it freely.
export type Json = any;

export interface Synthesized {
  readonly config: Config;
  readonly stack: OktaFlowStack;
  readonly template: Template;
  readonly json: Json;
  /** Unsuppressed error findings in the validation report (cdk-nag), as "rule at path". */
  readonly nagErrors: string[];
  /** Every acknowledgement in the tree: id → reason. */
  readonly acknowledgements: Map<string, string>;
}

export function synthesize(raw: unknown): Synthesized {
  const config = parseConfig(raw, 'test config');
  const outdir = mkdtempSync(join(tmpdir(), 'okta-flow-cdk-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  // The real handler entry files (lambdas/handlers/): they must exist, though bundling is skipped.
  const stack = new OktaFlowStack(app, config.stack.name, { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws with the report when any finding is not acknowledged.
  const assembly = app.synth();
  const nagErrors = nagErrorsIn(assembly.directory);
  const json = assembly.getStackByName(stack.stackName).template as Json;
  return {
    config,
    stack,
    template: Template.fromJSON(json),
    json,
    nagErrors,
    acknowledgements: acknowledgementsIn(stack),
  };
}

/** Unsuppressed error findings in a cloud assembly's validation report (cdk-nag), as "rule at path". */
export function nagErrorsIn(assemblyDir: string): string[] {
  const report = JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8')) as Json;
  const errors: string[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      if (v.severity === 'error' || v.severity === 'fatal') {
        for (const r of v.violatingResources ?? []) errors.push(`${v.ruleName} at ${r.constructPath ?? r.locations}`);
      }
    }
  }
  return errors;
}

export function acknowledgementsIn(root: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) found.set(id, reason);
    }
  }
  return found;
}

/** Resources of one type: logical id → resource. */
export function resourcesOf(json: Json, type: string): [string, Json][] {
  return Object.entries(json.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/** The only resource of a type whose logical id starts with a prefix. */
export function resource(json: Json, type: string, idPrefix = ''): Json {
  const found = resourcesOf(json, type).filter(([id]) => id.startsWith(idPrefix));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} starting with "${idPrefix}", found ${found.map(([id]) => id).join(', ')}`);
  }
  return (found[0] as [string, Json])[1];
}

/** Every statement of the IAM policy attached to the role whose logical id starts with rolePrefix. */
export function roleStatements(json: Json, rolePrefix: string): Json[] {
  const role = resourcesOf(json, 'AWS::IAM::Role').find(([id]) => id.startsWith(rolePrefix));
  if (!role) throw new Error(`no role ${rolePrefix}`);
  const [roleId] = role;
  return resourcesOf(json, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Logical id of the only resource of a type whose id starts with a prefix. */
export function logicalId(json: Json, type: string, idPrefix = ''): string {
  const found = resourcesOf(json, type).filter(([id]) => id.startsWith(idPrefix));
  if (found.length !== 1) throw new Error(`expected one ${type} starting with "${idPrefix}"`);
  return (found[0] as [string, Json])[0];
}
