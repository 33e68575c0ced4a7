/** `okta-flow describe <Object> [--json]`: an object's fields, types, filter operators and what pushes down to Okta. */
import { getObjectDef, isQueryParameterField } from '../../lambdas/okta/catalog/index.js';
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
}

export function describeObject(name: string): DescribedObject {
  const def = getObjectDef(name);
  return {
    object: def.name,
    primaryKey: def.primaryKey,
    cursorField: def.cursorField,
    sliceFields: def.sliceFields,
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
    '',
  ];
  const rows = described.fields.map((f) => [
    f.column,
    f.type,
    f.operators.join(' ') || '-',
    Object.entries(f.pushDown)
      .map(([op, targets]) => `${op}:${targets.join('|')}`)
      .join(' ') || 'residual only',
    f.sensitive ? 'sensitive' : '',
  ]);
  return [...head, formatTable(['field', 'type', 'operators', 'push-down', ''], rows)].join('\n');
}
