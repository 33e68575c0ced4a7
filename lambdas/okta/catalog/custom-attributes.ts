/**
 * Custom user profile attributes, discovered from Okta's profile schemas (`GET /api/v1/meta/schemas/user/default`
 * and one schema per user type, `definitions.custom.properties`), become typed columns of the User object.
 *
 * Types: string → String, number → Double, integer → Long, boolean → Boolean, array → List with the element type
 * of `items.type` (a List without a known element type stays JSON text); anything else is kept losslessly as Struct
 * (JSON text). The schemas of all user types are merged (union by attribute name): an attribute that two types
 * declare with different types is a conflict, reported, and becomes a String column (each value as its text) that
 * cannot be filtered, since no one type is right for every record.
 *
 * Column rule (documented in the README): `profile_` + the attribute name in snake_case (`costCode` →
 * `profile_cost_code`, `HR-Region 2` → `profile_hr_region_2`). Names are processed in code-point order; when the
 * candidate is already taken (by a built-in column, or by an earlier custom attribute that maps to the same snake
 * form), the column becomes `<candidate>_<first 6 hex of sha256(name)>`, which only depends on the name itself.
 * Aliases: `profile.<name>` and the bare `<name>` when no built-in field uses them.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineObject, field, type PushDownSpec } from './field.js';
import type { AppFlowDataType, FieldDef, ObjectDef } from './types.js';

const propertySchema = z
  .object({
    type: z.unknown().optional(),
    items: z.object({ type: z.unknown().optional() }).loose().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    sensitive: z.boolean().optional(),
  })
  .loose();

const userSchemaSchema = z
  .object({
    definitions: z
      .object({
        custom: z
          .object({ properties: z.record(z.string(), propertySchema).optional() })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export class UserSchemaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserSchemaError';
  }
}

/** Okta sends a type name; JSON Schema also allows ["string", "null"]. */
function typeName(oktaType: unknown): string {
  const t = Array.isArray(oktaType) ? oktaType.find((x) => x !== 'null') : oktaType;
  return typeof t === 'string' ? t : 'unknown';
}

const SCALAR_TYPES: Readonly<Record<string, AppFlowDataType>> = {
  string: 'String',
  number: 'Double',
  integer: 'Long',
  boolean: 'Boolean',
};

/** Okta schema type → AppFlow type; unknown types are kept losslessly as Struct. */
function appFlowType(type: string): AppFlowDataType {
  if (type === 'array') return 'List';
  return SCALAR_TYPES[type] ?? 'Struct';
}

/** Okta `search` covers every profile attribute, custom ones included; `co` and list membership stay residual. */
function pushDownFor(type: AppFlowDataType): PushDownSpec {
  switch (type) {
    case 'String':
      return { search: ['EQUAL_TO', 'IN'] };
    case 'Double':
    case 'Long':
      return {
        search: [
          'EQUAL_TO',
          'IN',
          'GREATER_THAN',
          'GREATER_THAN_OR_EQUAL_TO',
          'LESS_THAN',
          'LESS_THAN_OR_EQUAL_TO',
          'BETWEEN',
        ],
      };
    case 'Boolean':
      return { search: ['EQUAL_TO'] };
    default:
      return {};
  }
}

/** `costCode` → `cost_code`, `HRRegion` → `hr_region`, `a-b c` → `a_b_c`; never empty. */
export function snakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return snake === '' ? 'attr' : snake;
}

function shortHash(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 6);
}

/** The custom attributes listed in a user schema document, in code-point order of their names. */
export function customAttributes(schemaJson: unknown): [string, z.infer<typeof propertySchema>][] {
  const parsed = userSchemaSchema.safeParse(schemaJson);
  if (!parsed.success) {
    throw new UserSchemaError(
      `The Okta user schema is not in the expected shape (definitions.custom.properties): ${parsed.error.message}`,
      { cause: parsed.error },
    );
  }
  const props = parsed.data.definitions?.custom?.properties ?? {};
  return Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One custom profile attribute of the org, after the schemas of every user type are merged. */
export interface CustomAttribute {
  /** Okta's attribute name (`costCode`). */
  readonly name: string;
  /** Output column (`profile_cost_code`; see the column rule above). */
  readonly column: string;
  /** Okta schema type (`string`, `number`, `integer`, `boolean`, `array`, …); `string` for a conflict. */
  readonly type: string;
  /** Arrays: the element type from `items.type`, when the schema gives one. */
  readonly items?: string | undefined;
  readonly title: string;
  readonly description: string;
  readonly sensitive: boolean;
  /** The user types whose schema declares it (the names given to mergeUserSchemas). */
  readonly userTypes: readonly string[];
  /** Set when user types declare different types: each one's (`array<integer>` style). */
  readonly conflict?: readonly { readonly userType: string; readonly type: string }[] | undefined;
}

/** One user type's profile schema document, as Okta returns it. */
export interface UserTypeSchema {
  /** The user type's name (`user` for the default type). */
  readonly userType: string;
  readonly schema: unknown;
}

function typeLabel(type: string, items: string | undefined): string {
  return type === 'array' && items !== undefined ? `array<${items}>` : type;
}

/**
 * Every custom attribute of the org: the union of the user types' schemas by attribute name, in code-point order,
 * with their columns. Two types that declare one attribute with different types make a conflict (see above).
 */
export function mergeUserSchemas(builtIn: readonly FieldDef[], schemas: readonly UserTypeSchema[]): CustomAttribute[] {
  const merged = new Map<
    string,
    {
      prop: z.infer<typeof propertySchema>;
      sensitive: boolean;
      declared: { userType: string; type: string; items?: string }[];
    }
  >();
  for (const { userType, schema } of schemas) {
    for (const [name, prop] of customAttributes(schema)) {
      const type = typeName(prop.type);
      const items = type === 'array' && prop.items !== undefined ? typeName(prop.items.type) : undefined;
      const entry = merged.get(name) ?? { prop, sensitive: false, declared: [] };
      // Sensitive in any type's schema: sensitive everywhere (output only when a flow names it).
      entry.sensitive ||= prop.sensitive === true;
      entry.declared.push({ userType, type, ...(items !== undefined && items !== 'unknown' ? { items } : {}) });
      merged.set(name, entry);
    }
  }
  const taken = new Set<string>();
  for (const f of builtIn) {
    taken.add(f.column.toLowerCase());
    for (const a of f.aliases) taken.add(a.toLowerCase());
  }
  const names = [...merged.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const { prop, sensitive, declared } = merged.get(name) as NonNullable<ReturnType<typeof merged.get>>;
    const base = `profile_${snakeCase(name)}`;
    let column = taken.has(base) ? `${base}_${shortHash(name)}` : base;
    for (let n = 2; taken.has(column); n++) column = `${base}_${shortHash(name)}_${n}`;
    taken.add(column);
    const labels = new Set(declared.map((d) => typeLabel(d.type, d.items)));
    const first = declared[0] as (typeof declared)[number];
    return {
      name,
      column,
      type: labels.size > 1 ? 'string' : first.type,
      ...(labels.size === 1 && first.items !== undefined ? { items: first.items } : {}),
      title: prop.title ?? name,
      description: prop.description ?? `Custom profile attribute ${name}.`,
      sensitive,
      userTypes: declared.map((d) => d.userType),
      ...(labels.size > 1
        ? { conflict: declared.map((d) => ({ userType: d.userType, type: typeLabel(d.type, d.items) })) }
        : {}),
    };
  });
}

/** The catalog field of one custom attribute. */
function attributeField(attr: CustomAttribute, aliasFree: boolean): FieldDef {
  const type = appFlowType(attr.type);
  const items = type === 'List' && attr.items !== undefined ? SCALAR_TYPES[attr.items] : undefined;
  const conflict = attr.conflict !== undefined;
  const def = field({
    column: attr.column,
    label: attr.title,
    path: 'profile',
    type,
    // A conflicting attribute is text of several types: no operator means the same thing on every record.
    ...(conflict ? { operators: [] } : { pushDown: pushDownFor(type) }),
    ...(items !== undefined ? { items } : {}),
    sensitive: attr.sensitive,
    custom: true,
    description: conflict
      ? `${attr.description} User types disagree on its type (${attr.conflict
          ?.map((c) => `${c.userType}: ${c.type}`)
          .join(', ')}): written as text, not filterable.`
      : attr.description,
  });
  // Built with path 'profile' then fixed: a name may contain dots, which must not split the path.
  return { ...def, path: ['profile', attr.name], aliases: aliasFree ? [`profile.${attr.name}`] : [] };
}

/**
 * The User definition extended with one typed column per custom attribute. Any custom columns already on `userDef`
 * are replaced, so it is safe to call again with a newer resolution.
 */
export function withResolvedAttributes(userDef: ObjectDef, attributes: readonly CustomAttribute[]): ObjectDef {
  const builtIn = userDef.fields.filter((f) => !f.custom);
  const taken = new Set<string>();
  for (const f of builtIn) {
    taken.add(f.column.toLowerCase());
    for (const a of f.aliases) taken.add(a.toLowerCase());
  }
  const added = attributes.map((attr) => {
    const dotted = `profile.${attr.name}`.toLowerCase();
    const aliasFree = !taken.has(dotted);
    taken.add(dotted);
    return attributeField(attr, aliasFree);
  });
  return defineObject({ ...userDef, fields: [...builtIn, ...added] });
}

/** The User definition extended with the custom attributes of one schema document (the default user type's). */
export function withCustomUserAttributes(userDef: ObjectDef, schemaJson: unknown): ObjectDef {
  const builtIn = userDef.fields.filter((f) => !f.custom);
  return withResolvedAttributes(userDef, mergeUserSchemas(builtIn, [{ userType: 'user', schema: schemaJson }]));
}
