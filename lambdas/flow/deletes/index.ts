/** Delete detection: tombstones from System Log delete events (incremental flows). */

export {
  invocationIdsKey,
  readIds,
  snapshotIdsKey,
  snapshotRoot,
  snapshotTombstones,
  writeIds,
} from './snapshot-diff.js';
export {
  DELETE_EVENTS,
  type DeleteEventSpec,
  deleteEventsFilter,
  deleteEventsSince,
  systemLogDeletes,
  TOMBSTONE_COLUMNS,
  type Tombstone,
} from './system-log-deletes.js';
