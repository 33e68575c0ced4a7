/**
 * Delete detection from the System Log: Okta writes one event per deleted record (`user.lifecycle.delete.completed`,
 * `group.lifecycle.delete`, `application.lifecycle.delete`, `device.lifecycle.delete`), so the deletes of a window
 * are the delete events published in it. Each becomes a tombstone row (id, object, deleted_at, source, event_id).
 *
 * Why the System Log and not only snapshot diffs: an incremental run never sees a deleted record again (it is gone
 * from every listing), so only the log can say it went. The log keeps 90 days (the API refuses `since` older than
 * 180 days), so a run whose window starts earlier reads deletes from 179 days back; older deletes are gone from Okta.
 */
import type { OktaObjectName } from '../../okta/catalog/types.js';
import type { OktaApi } from '../../okta/types.js';
import type { ColumnSpec } from '../../output/columns.js';

export interface DeleteEventSpec {
  readonly eventType: string;
  /** `target[].type` of the deleted record in the event. */
  readonly targetType: string;
}

export const DELETE_EVENTS: Readonly<Record<OktaObjectName, DeleteEventSpec | null>> = {
  User: { eventType: 'user.lifecycle.delete.completed', targetType: 'User' },
  Group: { eventType: 'group.lifecycle.delete', targetType: 'UserGroup' },
  Application: { eventType: 'application.lifecycle.delete', targetType: 'AppInstance' },
  Device: { eventType: 'device.lifecycle.delete', targetType: 'Device' },
  LogEvent: null,
  UserType: null,
};

export interface Tombstone {
  readonly id: string;
  readonly object: OktaObjectName;
  readonly deleted_at: string;
  readonly source: 'system-log' | 'snapshot-diff';
  readonly event_id: string | null;
}

/** Columns of the tombstone files (`<prefix>/<Object>_deletes/dt=…/run_id=…/`). */
export const TOMBSTONE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', path: ['id'], type: 'string' },
  { name: 'object', path: ['object'], type: 'string' },
  { name: 'deleted_at', path: ['deleted_at'], type: 'timestamp' },
  { name: 'source', path: ['source'], type: 'string' },
  { name: 'event_id', path: ['event_id'], type: 'string' },
];

const LOG_RETENTION_QUERY_MS = 179 * 24 * 3_600_000;

interface LogEvent {
  uuid?: unknown;
  published?: unknown;
  eventType?: unknown;
  target?: unknown;
}

/** The System Log request for one object's delete events in `[from, to)` (bounded: the last page has no next). */
export function deleteEventsPath(object: OktaObjectName, window: { from: string; to: string }): string | null {
  const spec = DELETE_EVENTS[object];
  if (spec === null) return null;
  const to = Date.parse(window.to);
  const since = new Date(Math.max(Date.parse(window.from), to - LOG_RETENTION_QUERY_MS)).toISOString();
  const query = new URLSearchParams({
    since,
    until: window.to,
    filter: `eventType eq "${spec.eventType}"`,
    sortOrder: 'ASCENDING',
    limit: '1000',
  });
  return `/api/v1/logs?${query.toString()}`;
}

/** Tombstones for the object's delete events in the window, one batch per System Log page. */
export async function* systemLogDeletes(
  api: OktaApi,
  object: OktaObjectName,
  window: { from: string; to: string },
  signal?: AbortSignal,
): AsyncGenerator<Tombstone[], void, undefined> {
  const spec = DELETE_EVENTS[object];
  const path = deleteEventsPath(object, window);
  if (spec === null || path === null) return;
  for await (const page of api.paginate<LogEvent>(path, signal === undefined ? {} : { signal })) {
    const batch: Tombstone[] = [];
    for (const event of page.items) {
      if (event.eventType !== spec.eventType || typeof event.published !== 'string') continue;
      const targets = Array.isArray(event.target) ? (event.target as { id?: unknown; type?: unknown }[]) : [];
      for (const target of targets) {
        if (target.type === spec.targetType && typeof target.id === 'string') {
          batch.push({
            id: target.id,
            object,
            deleted_at: event.published,
            source: 'system-log',
            event_id: typeof event.uuid === 'string' ? event.uuid : null,
          });
        }
      }
    }
    yield batch;
  }
}
