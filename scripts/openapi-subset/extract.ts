/**
 * The subset extraction itself: structure-aware (it knows which OpenAPI fields hold schemas, parameters, responses),
 * so a property that happens to be named `example` or `description` is never mistaken for documentation.
 */
import type { WantedOperation } from './wanted-operations.js';

type JsonObject = Record<string, unknown>;

export interface SpecSource {
  readonly key: WantedOperation['spec'];
  /** File name inside the spec folder, recorded in the provenance block. */
  readonly file: string;
  readonly doc: JsonObject;
}

export class OpenApiSubsetError extends Error {
  override readonly name = 'OpenApiSubsetError';
}

/** Documentation-only keys dropped everywhere they describe (not name) something. */
const DOCUMENTATION_KEYS = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'tags']);
/** Vendor extensions that carry meaning for validation; every other `x-` key is documentation or SDK hints. */
const KEPT_EXTENSIONS = new Set(['x-okta-extensible']);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keepKey = (key: string): boolean =>
  !DOCUMENTATION_KEYS.has(key) && (!key.startsWith('x-') || KEPT_EXTENSIONS.has(key));

const normalizeTemplate = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

export const PROVENANCE = {
  source: "Okta's published OpenAPI 3.0.3 specs",
  repository: 'okta/okta-management-openapi-spec',
  folder: 'dist/current',
  release: '2026.06.3',
  license: 'Apache-2.0',
  copyright: 'Okta, Inc.',
  generator: 'scripts/extract-openapi-subset.ts',
  regenerate: 'npx tsx scripts/extract-openapi-subset.ts --spec-dir <folder with management-minimal.yaml>',
  changes:
    'Only the listed operations and the components they reference; descriptions, examples and documentation-only ' +
    'x- extensions removed; OAuth scopes trimmed to those the operations require; keys sorted.',
} as const;

export function extractSubset(
  sources: readonly SpecSource[],
  wanted: readonly WantedOperation[],
  generatedOn: string,
): JsonObject {
  const fixture: JsonObject = {
    'x-provenance': { ...PROVENANCE, files: sources.map((s) => s.file), generatedOn },
  };
  for (const source of sources) {
    fixture[source.key] = extractDocument(
      source,
      wanted.filter((w) => w.spec === source.key),
    );
  }
  return fixture;
}

function extractDocument(source: SpecSource, wanted: readonly WantedOperation[]): JsonObject {
  const { doc } = source;
  const specPaths = isObject(doc.paths) ? doc.paths : {};
  const components = isObject(doc.components) ? doc.components : {};
  const collector = new RefCollector(source.file);
  const paths: JsonObject = {};
  const usedScopes = new Map<string, Set<string>>();

  for (const op of wanted) {
    const specPath = Object.keys(specPaths).find((p) => normalizeTemplate(p) === normalizeTemplate(op.path));
    const item = specPath === undefined ? undefined : specPaths[specPath];
    if (specPath === undefined || !isObject(item) || !isObject(item[op.method])) {
      throw new OpenApiSubsetError(
        `${source.file} has no ${op.method.toUpperCase()} ${op.path}: is it the right spec?`,
      );
    }
    const out: JsonObject = isObject(paths[specPath]) ? (paths[specPath] as JsonObject) : {};
    if (Array.isArray(item.parameters)) out.parameters = item.parameters.map((p) => collector.parameter(p));
    const operation = collector.operation(item[op.method] as JsonObject);
    out[op.method] = operation;
    paths[specPath] = out;
    for (const requirement of Array.isArray(operation.security) ? operation.security : []) {
      if (!isObject(requirement)) continue;
      for (const [scheme, scopes] of Object.entries(requirement)) {
        const set = usedScopes.get(scheme) ?? new Set<string>();
        for (const scope of Array.isArray(scopes) ? scopes : []) if (typeof scope === 'string') set.add(scope);
        usedScopes.set(scheme, set);
      }
    }
  }

  const outComponents: Record<string, JsonObject> = {};
  for (let ref = collector.next(); ref !== undefined; ref = collector.next()) {
    const [kind, name] = ref;
    const section = components[kind];
    const target = isObject(section) ? section[name] : undefined;
    if (target === undefined)
      throw new OpenApiSubsetError(`${source.file}: dangling $ref #/components/${kind}/${name}`);
    const bucket = outComponents[kind] ?? {};
    bucket[name] = collector.component(kind, target);
    outComponents[kind] = bucket;
  }
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scopes] of [...usedScopes].sort(([a], [b]) => a.localeCompare(b))) {
    const scheme = schemes[name];
    if (!isObject(scheme)) throw new OpenApiSubsetError(`${source.file}: unknown security scheme ${name}`);
    const bucket = outComponents.securitySchemes ?? {};
    bucket[name] = trimSecurityScheme(scheme, scopes);
    outComponents.securitySchemes = bucket;
  }

  const info = isObject(doc.info) ? doc.info : {};
  return {
    openapi: doc.openapi,
    info: { title: info.title, version: info.version },
    paths,
    components: outComponents,
  };
}

/** Keeps a security scheme's shape but only the scopes the extracted operations require. */
function trimSecurityScheme(scheme: JsonObject, scopes: ReadonlySet<string>): JsonObject {
  const out = pick(scheme);
  if (isObject(scheme.flows)) {
    const flows: JsonObject = {};
    for (const [flowName, flow] of Object.entries(scheme.flows)) {
      if (!isObject(flow)) continue;
      const scopeMap = isObject(flow.scopes) ? flow.scopes : {};
      flows[flowName] = {
        ...pick(flow),
        scopes: Object.fromEntries(Object.entries(scopeMap).filter(([scope]) => scopes.has(scope))),
      };
    }
    out.flows = flows;
  }
  return out;
}

function pick(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keepKey(key)));
}

/** Prunes OpenAPI objects while queueing every `#/components/...` they reference, each once. */
class RefCollector {
  private readonly seen = new Set<string>();
  private readonly queue: [string, string][] = [];

  constructor(private readonly file: string) {}

  next(): [string, string] | undefined {
    return this.queue.shift();
  }

  component(kind: string, value: unknown): unknown {
    switch (kind) {
      case 'schemas':
        return this.schema(value);
      case 'parameters':
      case 'headers':
        return this.parameter(value);
      case 'responses':
        return this.response(value);
      case 'requestBodies':
        return this.requestBody(value);
      default:
        throw new OpenApiSubsetError(`${this.file}: unexpected reference to components.${kind}`);
    }
  }

  operation(op: JsonObject): JsonObject {
    const out: JsonObject = {};
    if (typeof op.operationId === 'string') out.operationId = op.operationId;
    if (Array.isArray(op.parameters)) out.parameters = op.parameters.map((p) => this.parameter(p));
    if (op.requestBody !== undefined) out.requestBody = this.requestBody(op.requestBody);
    if (isObject(op.responses)) out.responses = mapValues(op.responses, (r) => this.response(r));
    if (Array.isArray(op.security)) out.security = op.security;
    return out;
  }

  parameter(value: unknown): unknown {
    if (!isObject(value)) return value;
    if (typeof value.$ref === 'string') return this.ref(value.$ref);
    const out = pick(value);
    if (value.schema !== undefined) out.schema = this.schema(value.schema);
    if (isObject(value.content)) out.content = this.content(value.content);
    return out;
  }

  private requestBody(value: unknown): unknown {
    if (!isObject(value)) return value;
    if (typeof value.$ref === 'string') return this.ref(value.$ref);
    const out = pick(value);
    if (isObject(value.content)) out.content = this.content(value.content);
    return out;
  }

  private response(value: unknown): unknown {
    if (!isObject(value)) return value;
    if (typeof value.$ref === 'string') return this.ref(value.$ref);
    const out = pick(value);
    // `description` is required on a Response Object: keep it (they are one-liners like "Not Found").
    if (typeof value.description === 'string') out.description = value.description;
    delete out.links;
    if (isObject(value.headers)) out.headers = mapValues(value.headers, (h) => this.parameter(h));
    if (isObject(value.content)) out.content = this.content(value.content);
    return out;
  }

  private content(content: JsonObject): JsonObject {
    return mapValues(content, (media) => {
      if (!isObject(media)) return media;
      const out = pick(media);
      if (media.schema !== undefined) out.schema = this.schema(media.schema);
      return out;
    });
  }

  private schema(value: unknown): unknown {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (!keepKey(key)) continue;
      switch (key) {
        case '$ref':
          out.$ref = typeof child === 'string' ? this.ref(child).$ref : child;
          break;
        case 'properties':
          out.properties = isObject(child) ? mapValues(child, (s) => this.schema(s)) : child;
          break;
        case 'items':
        case 'not':
        case 'additionalProperties':
          out[key] = this.schema(child);
          break;
        case 'allOf':
        case 'anyOf':
        case 'oneOf':
          out[key] = Array.isArray(child) ? child.map((s) => this.schema(s)) : child;
          break;
        case 'discriminator':
          // Mapped subtypes are referenced only from here, yet they are what a response must match.
          if (isObject(child) && isObject(child.mapping)) {
            for (const target of Object.values(child.mapping)) if (typeof target === 'string') this.ref(target);
          }
          out[key] = child;
          break;
        default:
          out[key] = child;
      }
    }
    return out;
  }

  private ref(ref: string): { $ref: string } {
    const match = /^#\/components\/([A-Za-z]+)\/([^/]+)$/.exec(ref);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      throw new OpenApiSubsetError(`${this.file}: unsupported $ref ${ref} (only #/components/<kind>/<name>)`);
    }
    if (!this.seen.has(ref)) {
      this.seen.add(ref);
      this.queue.push([match[1], match[2]]);
    }
    return { $ref: ref };
  }
}

function mapValues(object: JsonObject, fn: (value: unknown) => unknown): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}
