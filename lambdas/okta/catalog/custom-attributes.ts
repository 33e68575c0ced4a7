/**
 * Custom user profile attributes, discovered from Okta's user schema (`GET /api/v1/meta/schemas/user/default`,
 * `definitions.custom.properties`), become typed columns of the User object.
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

/** Okta schema type → AppFlow type; unknown types are kept losslessly as Struct. */
function appFlowType(oktaType: unknown): AppFlowDataType {
  // Okta sends a string; JSON Schema also allows ["string", "null"].
  const t = Array.isArray(oktaType) ? oktaType.find((x) => x !== 'null') : oktaType;
  switch (t) {
    case 'string':
      return 'String';
    case 'number':
      return 'Double';
    case 'integer':
      return 'Long';
    case 'boolean':
      return 'Boolean';
    case 'array':
      return 'List';
    default:
      return 'Struct';
  }
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

/**
 * The User definition extended with one typed column per custom profile attribute. Any custom columns already on
 * `userDef` are replaced, so it is safe to call again with a newer schema.
 */
export function withCustomUserAttributes(userDef: ObjectDef, schemaJson: unknown): ObjectDef {
  const builtIn = userDef.fields.filter((f) => !f.custom);
  const taken = new Set<string>();
  for (const f of builtIn) {
    taken.add(f.column.toLowerCase());
    for (const a of f.aliases) taken.add(a.toLowerCase());
  }
  const added: FieldDef[] = [];
  for (const [name, prop] of customAttributes(schemaJson)) {
    const base = `profile_${snakeCase(name)}`;
    let column = taken.has(base) ? `${base}_${shortHash(name)}` : base;
    for (let n = 2; taken.has(column); n++) column = `${base}_${shortHash(name)}_${n}`;
    taken.add(column);
    const type = appFlowType(prop.type);
    const dotted = `profile.${name}`;
    const aliasFree = !taken.has(dotted.toLowerCase());
    if (aliasFree) taken.add(dotted.toLowerCase());
    const def = field({
      column,
      label: prop.title ?? name,
      path: 'profile',
      type,
      pushDown: pushDownFor(type),
      sensitive: prop.sensitive ?? false,
      custom: true,
      description: prop.description ?? `Custom profile attribute ${name}.`,
    });
    // Built with path 'profile' then fixed: a name may contain dots, which must not split the path.
    added.push({ ...def, path: ['profile', name], aliases: aliasFree ? [dotted] : [] });
  }
  return defineObject({ ...userDef, fields: [...builtIn, ...added] });
}
