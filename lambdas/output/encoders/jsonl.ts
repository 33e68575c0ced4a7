/**
 * JSON Lines: one record per line, in Okta's nested shape, projected to the selected columns' paths. Values are
 * Okta's own (timestamps stay ISO strings); absent fields stay absent and nulls stay null.
 */
import type { OktaRecord } from '../../okta/types.js';
import { type ColumnSpec, rawValueAt } from '../columns.js';
import type { SyncFileEncoder } from './types.js';

/** Copies only the selected paths into a new object; never mutates or aliases-and-mutates the source. */
export function projectRecord(record: OktaRecord, columns: readonly ColumnSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Objects this function created; anything else came from the source and already holds its whole subtree.
  const created = new WeakSet<object>([out]);
  for (const column of columns) {
    const value = rawValueAt(record, column.path);
    if (value === undefined) continue;
    let target: Record<string, unknown> = out;
    let covered = false;
    for (let i = 0; i < column.path.length - 1; i++) {
      const step = column.path[i] as string;
      const next = target[step];
      if (next === undefined) {
        const child: Record<string, unknown> = {};
        created.add(child);
        target[step] = child;
        target = child;
      } else if (typeof next === 'object' && next !== null && created.has(next)) {
        target = next as Record<string, unknown>;
      } else {
        covered = true; // an ancestor column already copied this subtree
        break;
      }
    }
    const leaf = column.path.at(-1);
    if (!covered && leaf !== undefined) target[leaf] = value;
  }
  return out;
}

export function createJsonlEncoder(columns: readonly ColumnSpec[]): SyncFileEncoder {
  return {
    heldBytes: 0,
    encode(records) {
      if (records.length === 0) return [];
      let text = '';
      for (const record of records) text += `${JSON.stringify(projectRecord(record, columns))}\n`;
      return [Buffer.from(text, 'utf8')];
    },
    finish() {
      return [];
    },
  };
}
