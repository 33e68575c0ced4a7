/**
 * Records in AppFlow's value formats: one flat JSON object per record keyed by field name (the catalog column),
 * serialized to a string. DateTime stays Okta's ISO-8601 UTC string, Struct/Map objects and Lists arrays stay JSON,
 * Booleans and numbers are real JSON booleans and numbers. A selected field the record lacks is `null`.
 */
import { getValue } from '../okta/catalog/index.js';
import type { FieldDef } from '../okta/catalog/types.js';
import { formatInstant, toInstant } from '../okta/query/instant.js';
import type { OktaRecord } from '../okta/types.js';

/** A value in the field's AppFlow format; values that do not fit the type are passed through unchanged. */
export function formatValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (field.type) {
    case 'DateTime': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      const instant = toInstant(value);
      // Okta's own form (`…T…​.SSSZ`) is already ISO-8601 UTC; only other shapes are normalised.
      if (instant === null || (typeof value === 'string' && /\.\d{3}Z$/.test(value))) return value;
      return formatInstant(instant);
    }
    case 'Date': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      const instant = toInstant(value);
      return instant === null ? value : new Date(instant.epochMs).toISOString().slice(0, 10);
    }
    case 'Boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value;
    case 'Integer':
    case 'Long':
    case 'Double':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    default:
      return value;
  }
}

/** The flat AppFlow record for an (already projected or full) Okta record. */
export function toAppFlowRecord(record: OktaRecord, fields: readonly FieldDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.column] = formatValue(field, getValue(record, field));
  return out;
}
