/**
 * Converts OpenAPI 3.0 schema objects to JSON Schema (draft-07, as Ajv compiles it) for validating RESPONSES:
 * - `nullable: true` → the type (and enum) also admits null;
 * - `discriminator` → explicit dispatch on the property: a mapped value must match its subtype schema; inheritance
 *   style (`SamlApplication: allOf [Application, …]`) gets a `<Name>~base` copy without the discriminator so the
 *   subtype's `allOf` does not loop back into the dispatch;
 * - `writeOnly` properties must not appear in a response (and are not required there); `readOnly` is an annotation;
 * - `format`s Ajv does not know are prose in Okta's spec (e.g. "Opaque token") and are dropped;
 * - duplicate `enum` values are removed (the allowed set is unchanged; JSON Schema forbids duplicates);
 * - `x-` extensions are dropped; `additionalProperties` keeps its JSON Schema meaning (objects are open unless the
 *   spec closes them, as OpenAPI 3.0 says).
 *
 * With `closeObjects` (for the undocumented-properties report, Ajv 2019 only) every schema in a value position
 * (a response root, a property, array items, additionalProperties) also gets `unevaluatedProperties: false`, which
 * sees through allOf/anyOf/$ref/if-then; objects the spec calls extensible (`x-okta-extensible`,
 * `additionalProperties`, or an empty `properties: {}` placeholder) stay open.
 */
type JsonObject = Record<string, unknown>;
export type JsonSchema = JsonObject | boolean;

/** Custom Ajv keyword marking a property a response must never carry. */
export const WRITE_ONLY_KEYWORD = 'okta-writeOnly';
/** Formats Ajv validates (ajv-formats); others in the spec are descriptive text. */
export const KNOWN_FORMATS = new Set([
  'date-time',
  'date',
  'email',
  'uri',
  'uuid',
  'int32',
  'int64',
  'double',
  'float',
]);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SCHEMA_REF = /^#\/components\/schemas\/([^/]+)$/;

export interface ConvertedDocument {
  readonly $id: string;
  readonly definitions: Record<string, JsonSchema>;
}

/** Converts every `components.schemas` entry of an OpenAPI document; refs become `<id>#/definitions/<Name>`. */
export interface ConvertOptions {
  readonly closeObjects?: boolean;
}

export function convertComponents(doc: JsonObject, id: string, options: ConvertOptions = {}): ConvertedDocument {
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const converter = new SchemaConverter(id, options);

  // Which schemas inherit from a discriminating base (mapping target whose allOf names the base).
  const inheritsFrom = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !isObject(schema.discriminator) || hasComposition(schema)) continue;
    for (const target of Object.values(isObject(schema.discriminator.mapping) ? schema.discriminator.mapping : {})) {
      const subName = typeof target === 'string' ? SCHEMA_REF.exec(target)?.[1] : undefined;
      const sub = subName === undefined ? undefined : schemas[subName];
      if (subName !== undefined && isObject(sub) && refsInAllOf(sub).includes(`#/components/schemas/${name}`)) {
        inheritsFrom.set(subName, name);
      }
    }
  }

  const definitions: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const base = inheritsFrom.get(name);
    if (isObject(schema) && isObject(schema.discriminator)) {
      Object.assign(definitions, converter.discriminated(name, schema));
    } else {
      definitions[name] = converter.convert(
        schema,
        base === undefined ? undefined : { from: base, to: `${base}~base` },
      );
    }
  }
  return { $id: id, definitions };
}

/** Converts one schema outside `components` (an inline response or parameter schema) against the same document. */
export function convertInline(schema: unknown, id: string, options: ConvertOptions = {}): JsonSchema {
  const converter = new SchemaConverter(id, options);
  return converter.close(converter.convert(schema), schema);
}

function hasApplicators(schema: JsonObject): boolean {
  return typeof schema.$ref === 'string' || Array.isArray(schema.allOf) || hasComposition(schema);
}

function hasComposition(schema: JsonObject): boolean {
  return Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf);
}

function refsInAllOf(schema: JsonObject): string[] {
  const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
  return allOf.flatMap((s) => (isObject(s) && typeof s.$ref === 'string' ? [s.$ref] : []));
}

interface BaseRedirect {
  readonly from: string;
  readonly to: string;
}

class SchemaConverter {
  constructor(
    private readonly id: string,
    private readonly options: ConvertOptions,
  ) {}

  /** In closeObjects mode, a schema in a value position admits no property its subschemas do not declare. */
  close(converted: JsonSchema, original: unknown): JsonSchema {
    if (this.options.closeObjects !== true || typeof converted === 'boolean' || !isObject(original)) return converted;
    if (original.writeOnly === true || original.additionalProperties !== undefined) return converted;
    if (original['x-okta-extensible'] === true) return converted;
    if (isObject(original.properties) && Object.keys(original.properties).length === 0 && !hasApplicators(original)) {
      return converted;
    }
    if (original.type !== undefined && original.type !== 'object' && !hasApplicators(original)) return converted;
    return { ...converted, unevaluatedProperties: false };
  }

  ref(ref: string, redirect?: BaseRedirect): string {
    const name = SCHEMA_REF.exec(ref)?.[1];
    if (name === undefined) throw new Error(`unsupported schema $ref ${ref}`);
    return `${this.id}#/definitions/${name === redirect?.from ? redirect.to : name}`;
  }

  /** A schema with a discriminator: `<name>` dispatches, `<name>~base` (inheritance style) is the plain base. */
  discriminated(name: string, schema: JsonObject): Record<string, JsonSchema> {
    const discriminator = schema.discriminator as JsonObject;
    const property = String(discriminator.propertyName);
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    const { discriminator: _dropped, oneOf, anyOf, ...rest } = schema;
    const branches = Object.entries(mapping).map(([value, target]) => ({
      if: { properties: { [property]: { const: value } }, required: [property] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: { $ref: this.ref(String(target)) },
    }));
    const known = { properties: { [property]: { enum: Object.keys(mapping) } }, required: [property] };
    if (hasComposition(schema)) {
      // oneOf/anyOf style: a mapped value picks its branch; anything else must satisfy the original composition.
      const fallback = this.convert(oneOf !== undefined ? { oneOf } : { anyOf });
      const base = this.convert(rest) as JsonObject;
      return { [name]: { ...base, allOf: [...asArray(base.allOf), ...branches, { if: known, else: fallback }] } };
    }
    const baseName = `${name}~base`;
    return {
      [baseName]: this.convert(rest),
      [name]: { allOf: [...branches, { if: known, else: { $ref: `${this.id}#/definitions/${baseName}` } }] },
    };
  }

  convert(schema: unknown, redirect?: BaseRedirect): JsonSchema {
    if (typeof schema === 'boolean') return schema;
    if (!isObject(schema)) throw new Error(`not a schema: ${JSON.stringify(schema)}`);
    if (schema.writeOnly === true) return { [WRITE_ONLY_KEYWORD]: true };
    if (isObject(schema.discriminator)) {
      // Inline oneOf/anyOf dispatch (role assignment lists declare theirs in the response): same rule as a named
      // one. An inline inheritance-style discriminator would need a base name to point at, so it stays unsupported.
      if (!hasComposition(schema)) {
        throw new Error('inline discriminators are supported only on oneOf/anyOf; name the schema in components');
      }
      const dispatched = this.discriminated('inline', schema).inline;
      if (dispatched === undefined) throw new Error('inline discriminator produced no schema');
      return dispatched;
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key.startsWith('x-') || key === 'nullable' || key === 'example' || key === 'deprecated') continue;
      switch (key) {
        case '$ref':
          out.$ref = this.ref(String(value));
          break;
        case 'format':
          if (typeof value === 'string' && KNOWN_FORMATS.has(value)) out.format = value;
          break;
        case 'properties':
          out.properties = Object.fromEntries(
            Object.entries(isObject(value) ? value : {}).map(([prop, sub]) => [
              prop,
              this.close(this.convert(sub), sub),
            ]),
          );
          break;
        case 'required': {
          // A required writeOnly property is required in requests only (OpenAPI 3.0 §4.7.25).
          const props = isObject(schema.properties) ? schema.properties : {};
          out.required = asArray(value).filter(
            (p) => !(isObject(props[String(p)]) && (props[String(p)] as JsonObject).writeOnly === true),
          );
          break;
        }
        case 'items':
        case 'additionalProperties':
          out[key] = this.close(this.convert(value), value);
          break;
        case 'not':
          out[key] = this.convert(value);
          break;
        case 'allOf':
          out.allOf = asArray(value).map((sub) =>
            isObject(sub) && typeof sub.$ref === 'string' && Object.keys(sub).length === 1
              ? { $ref: this.ref(sub.$ref, redirect) }
              : this.convert(sub),
          );
          break;
        case 'enum':
          // De-duplicated: the spec repeats values (SamlAssertionEncryption: AES256_CBC twice), which JSON Schema
          // forbids; the set of allowed values is unchanged.
          out.enum = [...new Set(asArray(value))];
          break;
        case 'anyOf':
        case 'oneOf':
          out[key] = asArray(value).map((sub) => this.convert(sub));
          break;
        default:
          out[key] = value;
      }
    }
    // The spec's word that an object takes more properties than it lists (OktaUserGroupProfile).
    if (
      this.options.closeObjects === true &&
      schema['x-okta-extensible'] === true &&
      out.additionalProperties === undefined
    ) {
      out.additionalProperties = true;
    }
    if (schema.nullable !== true) return out;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
