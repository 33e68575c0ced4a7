/**
 * Delete detection from the System Log: Okta writes one event per deleted record (`user.lifecycle.delete.completed`,
 * `group.lifecycle.delete`, `application.lifecycle.delete`, `device.lifecycle.delete`), so the deletes of a window
 * are the delete events published in it. Each becomes a tombstone row (id, object, deleted_at, source, event_id).
 *
 * Why the System Log and not only snapshot diffs: an incremental run never sees a deleted record again (it is gone
 * from every listing), so only the log can say it went. The log keeps 90 days, so a run whose window starts earlier
 * reads deletes from 90 days back; older deletes are gone from Okta. The events are read with the LogEvent stream
 * reader (lambdas/okta/extract/log-stream.ts): polling requests, filtered on the event type, de-duplicated by uuid.
 */
import { logEventDef } from '../../okta/catalog/index.js';
import { LOG_EVENT_COLUMNS } from '../../okta/catalog/log-event.js';
import type { OktaObjectName } from '../../okta/catalog/types.js';
import { extractLogStream, retentionFloor } from '../../okta/extract/log-stream.js';
import type { Filter } from '../../okta/query/filter.js';
import { planQuery } from '../../okta/query/plan.js';
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
  // Relations have no delete event of their own: GroupMember's removed pairs come from per-group snapshot diffs.
  GroupMember: null,
  ApplicationUser: null,
  ApplicationGroup: null,
  DeviceUser: null,
  UserRole: null,
  UserFactor: null,
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

/** The delete events of an object as a LogEvent filter, or null when the System Log does not record them. */
export function deleteEventsFilter(object: OktaObjectName): Filter | null {
  const spec = DELETE_EVENTS[object];
  return spec === null ? null : { kind: 'compare', field: 'event_type', op: 'EQUAL_TO', value: spec.eventType };
}

/**
 * Where the deletes read of a window starts: `from`, or the oldest instant the log still keeps (90 days: older
 * deletes are gone from Okta). Polling from there covers every event persisted since, late ones included; runs
 * overlap (from = watermark − overlap ≤ the previous run's plan time), so persistence time is covered without gaps.
 */
export function deleteEventsSince(from: string, now: number): string {
  return new Date(Math.max(Date.parse(from), retentionFloor(now))).toISOString();
}

/**
 * Tombstones for the object's delete events persisted from `window.from` on, one batch per System Log page, read
 * with the LogEvent stream reader (polling, `filter=eventType eq "…"`): the same reader LogEvent flows use.
 */
export async function* systemLogDeletes(
  api: OktaApi,
  object: OktaObjectName,
  window: { from: string; to: string },
  options: { signal?: AbortSignal | undefined; now: number; pageLimit?: number | undefined },
): AsyncGenerator<Tombstone[], void, undefined> {
  const spec = DELETE_EVENTS[object];
  const filter = deleteEventsFilter(object);
  if (spec === null || filter === null) return;
  const pages = extractLogStream(
    logEventDef,
    {
      fields: [...LOG_EVENT_COLUMNS],
      filter,
      since: deleteEventsSince(window.from, options.now),
      now: options.now,
      ...(options.pageLimit !== undefined ? { pageLimit: options.pageLimit } : {}),
    },
    { api, plan: planQuery, ...(options.signal ? { signal: options.signal } : {}) },
  );
  for await (const page of pages) {
    const batch: Tombstone[] = [];
    for (const event of page.records) {
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
