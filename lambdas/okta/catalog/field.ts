/**
 * Small builders so each object file reads like a table: one line per field, with its operators and the Okta
 * parameters (`search`, `filter`) that can evaluate each of them.
 */
import type { AppFlowDataType, FieldDef, FilterOperator, MemberDef, ObjectDef, PushDownTarget } from './types.js';

/** Operator sets by data type (AppFlow's defaults, plus IN/BETWEEN where they make sense). */
export const STRING_OPS: readonly FilterOperator[] = ['EQUAL_TO', 'NOT_EQUAL_TO', 'CONTAINS', 'IN'];
export const DATE_OPS: readonly FilterOperator[] = [
  'EQUAL_TO',
  'NOT_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL_TO',
  'BETWEEN',
];
export const NUMBER_OPS: readonly FilterOperator[] = [...DATE_OPS, 'IN'];
export const BOOLEAN_OPS: readonly FilterOperator[] = ['EQUAL_TO', 'NOT_EQUAL_TO'];
export const LIST_OPS: readonly FilterOperator[] = ['CONTAINS'];
export const NO_OPS: readonly FilterOperator[] = [];

/** Default operators for a data type. */
export function operatorsFor(type: AppFlowDataType): readonly FilterOperator[] {
  switch (type) {
    case 'String':
      return STRING_OPS;
    case 'Date':
    case 'DateTime':
      return DATE_OPS;
    case 'Integer':
    case 'Long':
    case 'Double':
      return NUMBER_OPS;
    case 'Boolean':
      return BOOLEAN_OPS;
    case 'List':
      return LIST_OPS;
    case 'Struct':
    case 'Map':
      return NO_OPS;
  }
}

/** Which operators each Okta parameter evaluates for one field, e.g. `{ search: ['EQUAL_TO', 'IN'] }`. */
export type PushDownSpec = Partial<Record<PushDownTarget, readonly FilterOperator[]>>;

/** Inverts a PushDownSpec into the per-operator map FieldDef carries, keeping only operators the field offers. */
export function pushDownMap(
  spec: PushDownSpec,
  operators: readonly FilterOperator[],
): Partial<Record<FilterOperator, readonly PushDownTarget[]>> {
  const out: Partial<Record<FilterOperator, PushDownTarget[]>> = {};
  for (const target of ['search', 'filter'] as const) {
    for (const op of spec[target] ?? []) {
      if (!operators.includes(op)) {
        throw new Error(`catalog bug: push-down ${target}/${op} on an operator the field does not offer`);
      }
      const list = out[op] ?? [];
      list.push(target);
      out[op] = list;
    }
  }
  return out;
}

export interface FieldSpec {
  readonly column: string;
  readonly label: string;
  /** Dotted Okta path, e.g. `profile.department`. */
  readonly path: string;
  readonly type: AppFlowDataType;
  readonly description: string;
  /** Defaults to the type's operator set. */
  readonly operators?: readonly FilterOperator[];
  readonly pushDown?: PushDownSpec;
  readonly aliases?: readonly string[];
  readonly sensitive?: boolean;
  readonly custom?: boolean;
  /** List fields: the element type, when known. */
  readonly items?: AppFlowDataType;
  /** Struct fields (or List fields of Struct items): the declared members, written as a typed struct. */
  readonly members?: readonly MemberDef[];
}

/** Checks a declared shape: element types only on Lists, members only on Structs or Lists of Structs, unique names. */
export function checkShape(
  where: string,
  shape: { type: AppFlowDataType; items?: AppFlowDataType | undefined; members?: readonly MemberDef[] | undefined },
): void {
  if (shape.items !== undefined && shape.type !== 'List') {
    throw new Error(`catalog bug: ${where} has an element type but is a ${shape.type}, not a List`);
  }
  if (shape.members === undefined) return;
  if (shape.type !== 'Struct' && !(shape.type === 'List' && shape.items === 'Struct')) {
    throw new Error(`catalog bug: ${where} declares members but is not a Struct or a List of Struct`);
  }
  if (shape.members.length === 0) throw new Error(`catalog bug: ${where} declares an empty member list`);
  const seen = new Set<string>();
  for (const member of shape.members) {
    if (seen.has(member.column)) throw new Error(`catalog bug: ${where} declares member ${member.column} twice`);
    seen.add(member.column);
    checkShape(`${where}.${member.column}`, member);
  }
}

/** Builds a FieldDef; the dotted Okta path is always an alias (unless it equals the column). */
export function field(spec: FieldSpec): FieldDef {
  checkShape(spec.column, spec);
  const operators = spec.operators ?? operatorsFor(spec.type);
  const aliases = [spec.path, ...(spec.aliases ?? [])].filter((a, i, all) => a !== spec.column && all.indexOf(a) === i);
  return {
    column: spec.column,
    label: spec.label,
    path: spec.path.split('.'),
    type: spec.type,
    operators,
    pushDown: pushDownMap(spec.pushDown ?? {}, operators),
    aliases,
    sensitive: spec.sensitive ?? false,
    ...(spec.items !== undefined ? { items: spec.items } : {}),
    ...(spec.members !== undefined ? { members: spec.members } : {}),
    custom: spec.custom ?? false,
    description: spec.description,
  };
}

/**
 * Adds, for profile fields, the bare attribute name as an alias (`department` for `profile.department`) when no
 * other field already uses that name, then checks the object's names are unambiguous.
 */
export function defineObject(def: ObjectDef): ObjectDef {
  const taken = new Set<string>();
  for (const f of def.fields) {
    taken.add(f.column);
    for (const a of f.aliases) taken.add(a);
  }
  const fields = def.fields.map((f) => {
    const last = f.path[f.path.length - 1];
    if (f.path.length !== 2 || f.path[0] !== 'profile' || last === undefined || taken.has(last)) return f;
    taken.add(last);
    return { ...f, aliases: [...f.aliases, last] };
  });
  const out = { ...def, fields };
  assertUniqueNames(out);
  return out;
}

/** Throws when two fields share a column, or a name resolves to two different fields. */
export function assertUniqueNames(def: ObjectDef): void {
  const owner = new Map<string, string>();
  const claim = (name: string, column: string) => {
    const prev = owner.get(name);
    if (prev !== undefined && prev !== column) {
      throw new Error(`catalog bug: ${def.name} name "${name}" used by both ${prev} and ${column}`);
    }
    owner.set(name, column);
  };
  const columns = new Set<string>();
  for (const f of def.fields) {
    if (columns.has(f.column.toLowerCase())) throw new Error(`catalog bug: ${def.name} column ${f.column} twice`);
    columns.add(f.column.toLowerCase());
    claim(f.column, f.column);
    for (const a of f.aliases) claim(a, f.column);
  }
}
