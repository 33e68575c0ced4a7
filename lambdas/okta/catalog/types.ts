/**
 * The catalog describes each Okta object okta-flow can extract: where it lives, its fields, how each field can be
 * filtered and whether Okta can evaluate that filter itself (push-down) or okta-flow must (residual).
 *
 * Principle the planner relies on: a push-down may only ever return a SUPERSET of the true result (Okta's `search`
 * is case-insensitive, for example); the full filter is always evaluated again as the residual on every record, so
 * push-down narrows the scan and never changes the result.
 */

export type OktaObjectName =
  | 'Application'
  | 'Device'
  | 'Group'
  | 'LogEvent'
  | 'User'
  | 'UserType'
  | 'GroupMember'
  | 'ApplicationUser'
  | 'ApplicationGroup'
  | 'DeviceUser'
  | 'UserRole'
  | 'UserFactor';

export const OKTA_OBJECT_NAMES: readonly OktaObjectName[] = [
  'Application',
  'Device',
  'Group',
  'LogEvent',
  'User',
  'UserType',
  'GroupMember',
  'ApplicationUser',
  'ApplicationGroup',
  'DeviceUser',
  'UserRole',
  'UserFactor',
];

/**
 * Relations whose incremental runs re-read whole parents (GroupMember: every group whose membership changed), so a
 * per-parent snapshot diff finds their removed pairs: `deleteDetection: "snapshot-diff"` works in incremental mode
 * for them. Kept here (not derived) because the config schema must not load the catalog; a unit test checks it is
 * exactly the relations with a cursor.
 */
export const PER_PARENT_SNAPSHOT_OBJECTS: readonly OktaObjectName[] = ['GroupMember'];

/** AppFlow's field data types (the subset okta-flow emits). */
export type AppFlowDataType =
  | 'String'
  | 'Integer'
  | 'Long'
  | 'Double'
  | 'Boolean'
  | 'Date'
  | 'DateTime'
  | 'Struct'
  | 'List'
  | 'Map';

/**
 * Filter operators. The first eight are AppFlow ConnectorOperator names; IN is okta-flow's own (AppFlow's
 * filterExpression DSL has `in`, but DescribeEntity cannot advertise it).
 */
export type FilterOperator =
  | 'EQUAL_TO'
  | 'NOT_EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'CONTAINS'
  | 'BETWEEN'
  | 'IN'
  /** DSL-only like IN (AppFlow has no such operator): a string prefix; LogEvent event_type pushes it down as `sw`. */
  | 'STARTS_WITH';

/** Which Okta query parameter can express an operator on a field. */
export type PushDownTarget = 'search' | 'filter';

export interface FieldDef {
  /** Stable snake_case column name, e.g. `department`, `last_updated`. Unique within the object. */
  readonly column: string;
  /** The AppFlow Okta connector's label, e.g. "Department". */
  readonly label: string;
  /** Path in Okta's JSON object, e.g. ['profile', 'department']. */
  readonly path: readonly string[];
  readonly type: AppFlowDataType;
  /** Operators a flow may filter this field with (push-down or residual). Empty: not filterable. */
  readonly operators: readonly FilterOperator[];
  /** Per operator, the Okta parameters that can evaluate it; an operator absent here is residual-only. */
  readonly pushDown: Partial<Record<FilterOperator, readonly PushDownTarget[]>>;
  /** Other names accepted for this field: the dotted Okta path (`profile.department`), AppFlow-style names. */
  readonly aliases: readonly string[];
  /** Secrets or credentials material: never output unless a flow asks for the field by name. */
  readonly sensitive: boolean;
  /**
   * List fields: the AppFlow type of each element when it is known and uniform (`objectClass`: String; a custom
   * `array` attribute: its `items.type`). Output writes such a field as a typed list; without it, as JSON text.
   */
  readonly items?: AppFlowDataType | undefined;
  /**
   * Declared members of a Struct field, or of each element of a List field whose `items` is Struct. With them the
   * field is written as a typed struct (Parquet group, Glue `struct<…>`); without them, as JSON text.
   */
  readonly members?: readonly MemberDef[] | undefined;
  /** Discovered from the user schema (custom profile attribute) rather than built in. */
  readonly custom: boolean;
  readonly description: string;
}

/** One member of a declared struct shape (see `FieldDef.members`); members nest the same way fields do. */
export interface MemberDef {
  /** Output name inside the struct (snake_case, unique within the struct), e.g. `display_name`. */
  readonly column: string;
  /** The key in Okta's JSON object, e.g. `displayName`. */
  readonly key: string;
  readonly type: AppFlowDataType;
  readonly items?: AppFlowDataType | undefined;
  readonly members?: readonly MemberDef[] | undefined;
}

export interface ObjectDef {
  readonly name: OktaObjectName;
  readonly label: string;
  readonly description: string;
  /** List endpoint path, e.g. `/api/v1/users`. */
  readonly listPath: string;
  /** Item endpoint path for an id, e.g. `/api/v1/users/{id}`. */
  itemPath(id: string): string;
  /** OAuth scope needed to read it. */
  readonly scope: string;
  /** Page size to request; null when the endpoint is not paginated (user types). */
  readonly pageLimit: number | null;
  /**
   * Columns of the primary key, in order: `['id']` for directory objects; relations have composite keys such as
   * `['group_id', 'user_id']`. Every record of a run is unique on these columns (see `recordKey`).
   */
  readonly primaryKey: readonly string[];
  /** Column of the incremental cursor (`last_updated`), or null when the object has none usable server-side. */
  readonly cursorField: string | null;
  /** Columns a big scan may be split on with `search` range filters (`created`, `last_updated`); empty: no slicing. */
  readonly sliceFields: readonly string[];
  readonly fields: readonly FieldDef[];
  /**
   * Where the records come from when it is not the object's own paginated list (`listPath`): relations are the
   * children of a parent object's records, the System Log is a polling stream. Absent: the plain list.
   */
  readonly source?: ObjectSource | undefined;
}

/**
 * How an object's records are read, discriminated on `kind`: `list` is the paginated `listPath` (the default when
 * `ObjectDef.source` is absent). Relation and stream kinds add their own variants here.
 */
export type ObjectSource = { readonly kind: 'list' } | ChildrenSource | StreamSource;

/**
 * A relation: the children of each record of a parent object (`/api/v1/groups/{id}/users` for every group). Each
 * child record is the child endpoint's JSON with the parent under `_parent` (the parent columns named in
 * `parentFields`, in Okta's shape), so composite keys such as (group_id, user_id) read from one record.
 */
export interface ChildrenSource {
  readonly kind: 'children';
  /** The parent object whose records are streamed, with its own filters (pushed down to its own list). */
  readonly parent: OktaObjectName;
  /**
   * Where parents come from when it is not the parent's own list: `assignees` is `GET /api/v1/iam/assignees/users`
   * (only users that hold an admin role; `{ value: [...], _links.next }` envelope). Default: the parent's list.
   */
  readonly parentList?: 'assignees' | undefined;
  /** Extra query parameters on the parent listing, e.g. `expand=stats` (member counts: empty groups are skipped). */
  readonly parentQuery?: string | undefined;
  /** Parent columns read besides `id` and `parentFields` (what `skipParent` looks at, e.g. Group `embedded`). */
  readonly parentColumns?: readonly string[] | undefined;
  /** Parent page size (default: the parent's catalog page size). */
  readonly parentLimit?: number | undefined;
  /**
   * Page size of the id-only parent listing that finds deleted parents (`onExistingParents`): the parent endpoint's
   * maximum (groups: 10,000). Default: `parentLimit`.
   */
  readonly existenceLimit?: number | undefined;
  /** The child listing of one parent, e.g. `/api/v1/groups/00g…/users`. */
  childPath(parentId: string): string;
  /** Child page size (`limit`), or null when the child endpoint is not paginated. */
  readonly childLimit: number | null;
  /**
   * Child columns that are parent columns (`group_id` → Group `id`, `group_type` → `type`): filters on them run as
   * the parent scan's filter, so only matching parents are read; the full filter is still the residual.
   */
  readonly parentFields: Readonly<Record<string, string>>;
  /** True when a parent is known to have no children without asking (Group `_embedded.stats.usersCount` 0). */
  readonly skipParent?: ((parent: Record<string, unknown>) => boolean) | undefined;
  /**
   * The filter narrows the parents to the ids it names (`user_id = …`): parents are not listed, each named id is
   * read directly (an unknown id is a parent gone: counted and skipped).
   */
  readonly directParentIds?: boolean | undefined;
  /**
   * One request per parent of a big object (UserFactor: one per user). Set: the flow must name parents with an
   * EQUAL_TO/IN filter on a parent column, or opt in with the flow option of this name knowing the cost.
   */
  readonly perParentOptIn?: 'perUserRequests' | undefined;
  /** The cost in requests, for `describe` and the README. */
  readonly cost: string;
}

/**
 * The System Log: an append-only stream read with Okta's polling requests (`since`, no `until`, ascending), which
 * filter and order on persistence time, so late events come after the cursor instead of before it. Runs resume from
 * the `next` link of the last committed run (lambdas/okta/extract/log-stream.ts); `timeField` partitions the output
 * by its UTC day and is the AppFlow incremental timestamp field.
 */
export interface StreamSource {
  readonly kind: 'stream';
  readonly cursor: 'polling';
  /** Column of the event time (`published`): output partition day, AppFlow incremental field; not filterable. */
  readonly timeField: string;
}
