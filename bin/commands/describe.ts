/**
 * `okta-flow describe <Object> [--json]`: an object's fields, types, filter operators and what pushes down to Okta.
 * With org access (`--sandbox`, `--sandbox-url`, `--secret-file`), User also lists the org's custom attributes, read
 * from every user type's profile schema exactly as a run resolves them at plan time.
 */
import { fetchUserTypeSchemas, resolveAttributes } from '../../lambdas/flow/runner/resolve-schema.js';
import {
  type CustomAttribute,
  getObjectDef,
  isQueryParameterField,
  withResolvedAttributes,
} from '../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../lambdas/okta/catalog/types.js';
import { createOktaClient } from '../../lambdas/okta/client.js';
import type { OktaApi } from '../../lambdas/okta/types.js';
import { checkOktaSourceFlags, type OktaSourceFlags, resolveOktaSource } from './okta-source.js';
import { resolveConfig } from './run.js';
import { formatTable } from './table.js';

export interface DescribedField {
  readonly column: string;
  readonly label: string;
  readonly path: string;
  readonly type: string;
  readonly operators: readonly string[];
  readonly pushDown: Readonly<Record<string, readonly string[]>>;
  readonly sensitive: boolean;
  readonly queryParameterOnly: boolean;
}

export interface DescribedObject {
  readonly object: string;
  readonly primaryKey: readonly string[];
  readonly cursorField: string | null;
  readonly sliceFields: readonly string[];
  readonly fields: DescribedField[];
  /**
   * Relations: where the pairs come from and what a full run costs in requests; `parentColumns` are pushed to the
   * parent scan; `optIn` names the flow option a per-parent-request object needs without a filter naming parents.
   */
  readonly relation?: {
    readonly parent: string;
    readonly cost: string;
    readonly parentColumns: readonly string[];
    readonly optIn?: string;
  };
  /** With org access (User): the org's custom attributes, merged over user types. */
  readonly customAttributes?: DescribedAttribute[];
  /** With org access: what could not be read or merged cleanly. */
  readonly notes?: string[];
}

export interface DescribedAttribute {
  /** `profile.<name>`, as flows name it. */
  readonly name: string;
  readonly column: string;
  /** Okta's schema type (`array<integer>` for arrays with an element type). */
  readonly type: string;
  /** The field type the column has (String, Long, Double, Boolean, List…). */
  readonly fieldType: string;
  readonly userTypes: readonly string[];
  /** Set when user types declare different types. */
  readonly conflict?: readonly { readonly userType: string; readonly type: string }[];
}

export function describeObject(name: string): DescribedObject {
  return describeDef(getObjectDef(name));
}

/** The object as the org defines it: User with the custom attributes of every user type's schema. */
export async function describeFromOrg(name: string, api: OktaApi): Promise<DescribedObject> {
  const def = getObjectDef(name);
  if (def.name !== 'User') return describeDef(def);
  const { schemas, notes } = await fetchUserTypeSchemas(api);
  const attributes = resolveAttributes(schemas, null);
  const resolved = withResolvedAttributes(def, attributes);
  return { ...describeDef(resolved), customAttributes: attributes.map((a) => describeAttribute(resolved, a)), notes };
}

function describeAttribute(def: ObjectDef, a: CustomAttribute): DescribedAttribute {
  const field = def.fields.find((f) => f.custom && f.column === a.column);
  return {
    name: `profile.${a.name}`,
    column: a.column,
    type: a.type === 'array' && a.items !== undefined ? `array<${a.items}>` : a.type,
    fieldType: field?.items !== undefined ? `List<${field.items}>` : (field?.type ?? 'Struct'),
    userTypes: a.userTypes,
    ...(a.conflict !== undefined ? { conflict: a.conflict } : {}),
  };
}

function describeDef(def: ObjectDef): DescribedObject {
  const source = def.source?.kind === 'children' ? def.source : undefined;
  return {
    object: def.name,
    primaryKey: def.primaryKey,
    cursorField: def.cursorField,
    sliceFields: def.sliceFields,
    ...(source !== undefined
      ? {
          relation: {
            parent: source.parent,
            cost: source.cost,
            parentColumns: Object.keys(source.parentFields),
            ...(source.perParentOptIn !== undefined ? { optIn: source.perParentOptIn } : {}),
          },
        }
      : {}),
    fields: def.fields.map((f) => ({
      column: f.column,
      label: f.label,
      path: f.path.join('.'),
      type: f.type,
      operators: f.operators,
      pushDown: Object.fromEntries(Object.entries(f.pushDown).map(([op, targets]) => [op, targets ?? []])),
      sensitive: f.sensitive,
      queryParameterOnly: isQueryParameterField(def, f),
    })),
  };
}

export function describeText(described: DescribedObject): string {
  const head = [
    `${described.object}: primary key ${described.primaryKey.join(' + ')}, incremental cursor ${described.cursorField ?? 'none (full copies only)'}, ` +
      `slice fields ${described.sliceFields.join(', ') || 'none'}`,
    ...(described.relation !== undefined
      ? [
          `Relation: the children of each ${described.relation.parent}; filters on ${described.relation.parentColumns.join(', ')} narrow the ${described.relation.parent} scan.`,
          `Cost in requests: ${described.relation.cost}.`,
          ...(described.relation.optIn !== undefined
            ? [
                `Runs only with an EQUAL_TO/IN filter naming ${described.relation.parent.toLowerCase()}s, or with "${described.relation.optIn}": true on the flow.`,
              ]
            : []),
        ]
      : []),
    '',
  ];
  const rows = described.fields.map((f) => [
    f.column,
    f.type,
    f.operators.join(' ') || '-',
    described.relation?.parentColumns.includes(f.column)
      ? `${described.relation.parent} scan`
      : Object.entries(f.pushDown)
          .map(([op, targets]) => `${op}:${targets.join('|')}`)
          .join(' ') || 'residual only',
    f.sensitive ? 'sensitive' : '',
  ]);
  const lines = [...head, formatTable(['field', 'type', 'operators', 'push-down', ''], rows)];
  if (described.customAttributes !== undefined) {
    lines.push('', `Custom attributes of this org (${described.customAttributes.length}):`, '');
    lines.push(
      formatTable(
        ['attribute', 'column', 'okta type', 'field type', 'user types', ''],
        described.customAttributes.map((a) => [
          a.name,
          a.column,
          a.type,
          a.fieldType,
          a.userTypes.join(', '),
          a.conflict
            ? `conflict: ${a.conflict.map((c) => `${c.userType} ${c.type}`).join(', ')}; text, not filterable`
            : '',
        ]),
      ),
    );
  }
  for (const note of described.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n');
}

export interface DescribeCommandOptions extends OktaSourceFlags {
  readonly json?: boolean | undefined;
  readonly config?: string | undefined;
  readonly print?: (line: string) => void;
}

/**
 * The command: the catalog alone, or with org access (any Okta source option) the org's own definition. The org is
 * read through the same Okta source module as `run` (bin/commands/okta-source.ts).
 */
export async function describeCommand(object: string, options: DescribeCommandOptions): Promise<DescribedObject> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const orgAccess = options.sandbox === true || options.sandboxUrl !== undefined || options.secretFile !== undefined;
  let described: DescribedObject;
  if (!orgAccess) {
    described = describeObject(object);
  } else {
    getObjectDef(object); // an unknown object fails before anything starts
    checkOktaSourceFlags(options, { command: 'describe' });
    const sandboxOnly = options.sandbox === true || options.sandboxUrl !== undefined;
    const config =
      options.config !== undefined || !sandboxOnly ? resolveConfig(options.config, false).config : undefined;
    const source = await resolveOktaSource(options, { command: 'describe', config });
    try {
      const api = createOktaClient({
        domain: source.domain,
        allowLoopback: source.allowLoopback,
        ...(source.customDomains ? { customDomains: source.customDomains } : {}),
        credentials: source.credentials,
      });
      described = await describeFromOrg(object, api);
    } finally {
      await source.close();
    }
  }
  print(options.json ? JSON.stringify(described, null, 2) : describeText(described));
  return described;
}
