/**
 * The plan's identity: SHA-256 of its validated rows in canonical JSON (keys sorted), so the same actions hash the
 * same whether written as JSONL or CSV, and any change to an action, target or value changes the hash.
 */
import { createHash } from 'node:crypto';
import type { PlanRow } from './plan-row.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function planHash(rows: readonly PlanRow[]): string {
  return createHash('sha256').update(canonical(rows)).digest('hex');
}

export { canonical as canonicalJson };
