/** Reading a field's value out of Okta's nested JSON. */
import type { OktaRecord } from '../types.js';
import type { FieldDef } from './types.js';

/**
 * Paths Okta accepts in `search` but does not put in the record as such: the value is derived from the record.
 * Group `source.id` (APP_GROUP's source app) is only in `_links.source.href` (`…/api/v1/apps/0oa…`).
 */
const DERIVED_BY_PATH: Readonly<Record<string, (record: OktaRecord) => unknown>> = {
  'source.id': (record) => {
    const href = readPath(record, ['_links', 'source', 'href']);
    if (typeof href !== 'string') return undefined;
    const last = href.split(/[?#]/, 1)[0]?.split('/').filter(Boolean).pop();
    return last === undefined ? undefined : decodeURIComponent(last);
  },
  // LogEvent `target.id`: the ids of the event's targets (Okta's `filter=target.id eq "…"` matches any of them).
  'target.id': (record) => {
    const targets = readPath(record, ['target']);
    if (!Array.isArray(targets)) return undefined;
    return targets.flatMap((t) => {
      const id = readPath(t, ['id']);
      return typeof id === 'string' ? [id] : [];
    });
  },
};

/** Walks a path through nested objects; undefined when any step is missing or not an object. */
export function readPath(record: unknown, path: readonly string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The value of a field in an Okta record: undefined when absent (Okta omits unset attributes), null when Okta sent
 * null. Residual filters and output encoders both read values through this one function.
 */
export function getValue(record: OktaRecord, field: Pick<FieldDef, 'path'>): unknown {
  const value = readPath(record, field.path);
  if (value !== undefined) return value;
  const derive = DERIVED_BY_PATH[field.path.join('.')];
  return derive === undefined ? undefined : derive(record);
}
