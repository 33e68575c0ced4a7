/**
 * Contract validator over the committed subset of Okta's OpenAPI specs (test/contract/fixtures, never ../shared):
 * does a response body match what Okta's spec says that operation returns, and does a request only use the query
 * parameters (and enum values) the operation declares? Schemas are converted from OpenAPI 3.0 to JSON Schema
 * (openapi/to-json-schema.ts) after the documented corrections (openapi/spec-corrections.ts), then compiled by Ajv.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { SPEC_CORRECTIONS, UNDECLARED_RESPONSE_RULES } from './openapi/spec-corrections.js';
import {
  type ConvertOptions,
  convertComponents,
  convertInline,
  type JsonSchema,
  WRITE_ONLY_KEYWORD,
} from './openapi/to-json-schema.js';

type JsonObject = Record<string, unknown>;
export type SpecName = 'management' | 'oauth';
export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

export interface TemplateMatch {
  readonly spec: SpecName;
  /** The spec's own template, e.g. `/api/v1/users/{id}`. */
  readonly template: string;
  readonly pathParams: Record<string, string>;
}

const FIXTURE_URL = new URL('./fixtures/okta-openapi-subset.json', import.meta.url);
const SPECS: readonly SpecName[] = ['management', 'oauth'];
const schemaId = (spec: SpecName) => `urn:okta-flow:okta-openapi:${spec}`;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

interface Operation {
  readonly spec: SpecName;
  readonly method: string;
  readonly template: string;
  readonly parameters: readonly JsonObject[];
  readonly responses: JsonObject;
}

const AJV_OPTIONS: Options = { allErrors: true, strict: true, strictTypes: false, strictRequired: false };

function withOktaKeywords<T extends Ajv | Ajv2019>(ajv: T): T {
  addFormats(ajv);
  ajv.addKeyword({
    keyword: WRITE_ONLY_KEYWORD,
    schemaType: 'boolean',
    code: (cxt) => cxt.fail(),
    error: { message: 'is writeOnly in the spec and must never appear in a response' },
  });
  return ajv;
}

export class OktaContract {
  private readonly docs = {} as Record<SpecName, JsonObject>;
  private readonly ajv = withOktaKeywords(new Ajv(AJV_OPTIONS));
  /** Draft 2019 (unevaluatedProperties) for the undocumented-properties report; built on first use. */
  private closedAjv: Ajv2019 | undefined;
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(fixture: JsonObject) {
    for (const spec of SPECS) {
      const doc = structuredClone(fixture[spec]);
      if (!isObject(doc)) throw new Error(`contract fixture has no "${spec}" document: regenerate it`);
      for (const correction of SPEC_CORRECTIONS) if (correction.spec === spec) correction.apply(doc);
      this.docs[spec] = doc;
      this.ajv.addSchema(convertComponents(doc, schemaId(spec)));
      for (const [template, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
        if (!isObject(item)) continue;
        for (const [method, op] of Object.entries(item)) {
          if (method === 'parameters' || !isObject(op)) continue;
          this.operations.push({
            spec,
            method: method.toUpperCase(),
            template,
            parameters: [...asArray(item.parameters), ...asArray(op.parameters)].map((p) => this.resolve(spec, p)),
            responses: isObject(op.responses) ? op.responses : {},
          });
        }
      }
    }
  }

  /** Every operation in the fixture, for tests that must cover them all. */
  listOperations(): { spec: SpecName; method: string; template: string }[] {
    return this.operations.map(({ spec, method, template }) => ({ spec, method, template }));
  }

  matchTemplate(pathname: string): TemplateMatch | null {
    const segments = pathname.split('/');
    let best: (TemplateMatch & { literals: number }) | null = null;
    for (const template of new Set(this.operations.map((o) => `${o.spec} ${o.template}`))) {
      const [spec, path] = template.split(' ') as [SpecName, string];
      const parts = path.split('/');
      if (parts.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      let literals = 0;
      const matches = parts.every((part, i) => {
        const segment = segments[i] ?? '';
        const param = /^\{(.+)\}$/.exec(part)?.[1];
        if (param === undefined) {
          literals++;
          return part === segment;
        }
        if (segment === '') return false;
        pathParams[param] = safeDecode(segment);
        return true;
      });
      if (matches && (best === null || literals > best.literals)) best = { spec, template: path, pathParams, literals };
    }
    if (best === null) return null;
    return { spec: best.spec, template: best.template, pathParams: best.pathParams };
  }

  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): ValidationResult {
    const op = this.findOperation(method, pathTemplate);
    if (op === undefined) return fail(`${method.toUpperCase()} ${pathTemplate} is not in the contract fixture`);
    const where = `${op.method} ${op.template} → ${status}`;
    const schemaRef = this.responseSchema(op, status);
    if (schemaRef === 'no-body') {
      return body === undefined || body === ''
        ? { ok: true }
        : fail(`${where}: the spec declares no JSON body for this status (a redirect or an empty response)`);
    }
    if (schemaRef === undefined) {
      const declared = Object.keys(op.responses).join(', ');
      return fail(`${where}: status ${status} is not declared by the spec (declared: ${declared})`);
    }
    const key = `${op.spec} ${JSON.stringify(schemaRef)}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(schemaRef);
      this.validators.set(key, validate);
    }
    if (validate(body)) return { ok: true };
    return { ok: false, errors: formatErrors(validate.errors ?? [], body).map((e) => `${where}: ${e}`) };
  }

  /**
   * Properties in a response that no schema at their place declares, where the spec leaves the object open.
   * Okta adds properties without notice, so these are not violations; they are worth a look in an emulator
   * (typos, invented fields). Only meaningful for a body that passes `validateResponse`.
   */
  undocumentedProperties(method: string, pathTemplate: string, status: number, body: unknown): string[] {
    const op = this.findOperation(method, pathTemplate);
    if (op === undefined) return [];
    const schema = this.responseSchema(op, status, { closeObjects: true });
    if (schema === undefined || schema === 'no-body') return [];
    if (this.closedAjv === undefined) {
      const ajv = withOktaKeywords(new Ajv2019(AJV_OPTIONS));
      for (const spec of SPECS)
        ajv.addSchema(convertComponents(this.docs[spec], schemaId(spec), { closeObjects: true }));
      this.closedAjv = ajv;
    }
    const key = `closed ${op.spec} ${JSON.stringify(schema)}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.closedAjv.compile(schema);
      this.validators.set(key, validate);
    }
    // An undocumented property fails its subschema, which then contributes no annotations to its parents: they
    // report every property as unevaluated. So take the deepest reports, remove those properties, and re-check
    // until nothing is left (a few rounds at most: one per nesting level with findings).
    const found = new Set<string>();
    const data: unknown = structuredClone(body);
    for (let round = 0; round < 32 && !validate(data); round++) {
      const errors = (validate.errors ?? []).filter((e) => e.keyword === 'unevaluatedProperties');
      const deepest = errors.filter((e) => !errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)));
      if (deepest.length === 0) break;
      for (const error of deepest) {
        const property = String((error.params as JsonObject).unevaluatedProperty);
        found.add(`${error.instancePath}/${property}`);
        const holder = valueAt(data, error.instancePath);
        if (isObject(holder)) delete holder[property];
      }
    }
    return [...found];
  }

  validateRequest(method: string, url: string): ValidationResult {
    const parsed = new URL(url, 'http://okta.invalid');
    const match = this.matchTemplate(parsed.pathname);
    const verb = method.toUpperCase();
    if (match === null) return fail(`${verb} ${parsed.pathname} matches no path in the contract fixture`);
    const op = this.operations.find((o) => o.spec === match.spec && o.template === match.template && o.method === verb);
    if (op === undefined) return fail(`${verb} is not a contract operation on ${match.template}`);
    const errors: string[] = [];
    const query = op.parameters.filter((p) => p.in === 'query');
    const names = new Set(query.map((p) => String(p.name)));
    for (const name of new Set(parsed.searchParams.keys())) {
      if (!names.has(name)) {
        errors.push(
          `query parameter "${name}" is not declared for ${verb} ${op.template} (declared: ${[...names].join(', ') || 'none'})`,
        );
      }
    }
    for (const param of query) {
      const name = String(param.name);
      const key = `${op.spec} ${op.method} ${op.template} ?${name}`;
      const values = parsed.searchParams.getAll(name);
      if (values.length === 0) {
        if (param.required === true) errors.push(`required query parameter "${name}" is missing`);
        continue;
      }
      if (values.length > 1) errors.push(`query parameter "${name}" is repeated ${values.length} times`);
      for (const message of this.checkParameterValue(key, op.spec, param, values[0] ?? '')) {
        errors.push(`query parameter "${name}"=${JSON.stringify(values[0])} ${message}`);
      }
    }
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      if (match.pathParams[String(param.name)] === undefined) {
        errors.push(`path parameter {${String(param.name)}} is missing: the fixture names path segments differently`);
      }
    }
    return errors.length === 0 ? { ok: true } : { ok: false, errors };
  }

  private checkParameterValue(key: string, spec: SpecName, param: JsonObject, raw: string): string[] {
    const schema = convertInline(param.schema ?? {}, schemaId(spec));
    const type = isObject(schema) ? schema.type : undefined;
    let value: unknown = raw;
    if (type === 'integer' || type === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(raw)) return [`is not a${type === 'integer' ? 'n integer' : ' number'}`];
      value = Number(raw);
    } else if (type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') return ['is not a boolean (true|false)'];
      value = raw === 'true';
    }
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    // The value is already named by the caller: keep only what is wrong with it.
    return formatErrors(validate.errors ?? [], value).map((m) =>
      m.replace(/^at \(root\): /, '').replace(/, got .*$/, ''),
    );
  }

  private findOperation(method: string, pathTemplate: string): Operation | undefined {
    const verb = method.toUpperCase();
    const normalized = normalizeTemplate(pathTemplate);
    const exact = this.operations.find((o) => o.method === verb && normalizeTemplate(o.template) === normalized);
    if (exact !== undefined) return exact;
    const match = this.matchTemplate(pathTemplate);
    return match === null
      ? undefined
      : this.operations.find((o) => o.method === verb && o.spec === match.spec && o.template === match.template);
  }

  /** The JSON Schema a response must match, 'no-body' for an undeclared redirect, undefined when undeclared. */
  private responseSchema(
    op: Operation,
    status: number,
    options: ConvertOptions = {},
  ): JsonSchema | 'no-body' | undefined {
    const declared =
      op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default ?? undefined;
    if (declared !== undefined) {
      const response = this.resolve(op.spec, declared);
      const content = isObject(response.content) ? response.content : {};
      const media = content['application/json'];
      if (!isObject(media) || media.schema === undefined) return 'no-body';
      return convertInline(media.schema, schemaId(op.spec), options);
    }
    if ((UNDECLARED_RESPONSE_RULES.redirectStatuses as readonly number[]).includes(status)) return 'no-body';
    if (status < 400) return undefined;
    const errorRef =
      op.spec === 'management'
        ? UNDECLARED_RESPONSE_RULES.managementErrorSchema
        : UNDECLARED_RESPONSE_RULES.oauthErrorSchema(op.template);
    return convertInline({ $ref: errorRef }, schemaId(op.spec), options);
  }

  /** Follows a `$ref` to components.parameters/responses (one level, as the fixture uses them). */
  private resolve(spec: SpecName, value: unknown): JsonObject {
    if (!isObject(value)) throw new Error(`expected an object in the ${spec} fixture`);
    if (typeof value.$ref !== 'string') return value;
    const [, kind, name] = /^#\/components\/([^/]+)\/([^/]+)$/.exec(value.$ref) ?? [];
    const doc = this.docs[spec];
    const components = isObject(doc?.components) ? doc.components : {};
    const section = kind === undefined ? undefined : components[kind];
    const target = isObject(section) && name !== undefined ? section[name] : undefined;
    if (!isObject(target)) throw new Error(`dangling ${value.$ref} in the ${spec} fixture`);
    return target;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function normalizeTemplate(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function fail(message: string): ValidationResult {
  return { ok: false, errors: [message] };
}

/** Ajv errors as "at /0/profile/email: must match format "email" (got "x")", leaf errors only. */
export function formatErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  const messages = errors
    // if/then dispatch reports "must match then schema" above the real cause; the cause is also listed.
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const at = e.instancePath === '' ? '(root)' : e.instancePath;
      let message = `at ${at}: ${e.message ?? e.keyword}`;
      if (e.keyword === 'enum' && isObject(e.params) && Array.isArray(e.params.allowedValues)) {
        message += ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
      }
      if (e.keyword === 'additionalProperties' && isObject(e.params)) {
        message += ` (${String(e.params.additionalProperty)})`;
      }
      if (e.keyword !== 'required') message += `, got ${preview(valueAt(data, e.instancePath))}`;
      return message;
    });
  return [...new Set(messages)];
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  return node;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

let contract: OktaContract | undefined;

/** The contract built from the committed fixture (parsed and compiled once, lazily). */
export function oktaContract(): OktaContract {
  if (contract === undefined) {
    contract = new OktaContract(JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as JsonObject);
  }
  return contract;
}

export function validateResponse(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): ValidationResult {
  return oktaContract().validateResponse(method, pathTemplate, status, body);
}

export function validateRequest(method: string, url: string): ValidationResult {
  return oktaContract().validateRequest(method, url);
}

export function matchTemplate(pathname: string): TemplateMatch | null {
  return oktaContract().matchTemplate(pathname);
}

export { SPEC_CORRECTIONS };
