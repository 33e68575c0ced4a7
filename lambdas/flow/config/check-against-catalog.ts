/**
 * Config rules that need the Okta catalog: incremental flows need a cursor field, named fields and filter fields must
 * exist (with operators and values the field allows), a filterExpression must parse, slicing needs a slice field.
 *
 * Custom User profile attributes are discovered from the org's profile schemas at plan time (every user type's), so
 * at synth time a User field spelt `profile.<name>` or `profile_<column>` that the built-in catalog does not know is
 * accepted here; PlanRun checks it against the org before anything is written, naming the closest known ones.
 */

import { lakeTableNames } from '../../lake/table-names.js';
import { getObjectDef, resolveField } from '../../okta/catalog/index.js';
import { type ObjectDef, OKTA_OBJECT_NAMES } from '../../okta/catalog/types.js';
import { perParentRefusal } from '../../okta/extract/children.js';
import type { Filter } from '../../okta/query/filter.js';
import { FilterSyntaxError, parseFilterExpression } from '../../okta/query/parse-filter-expression.js';
import { FilterValidationError, resolveFilter } from '../../okta/query/resolve-filter.js';
import type { ConfigProblem } from './config-error.js';
import { toFilter } from './filter-spec.js';
import { closest } from './format-issues.js';
import type { Config, FlowConfig } from './schema.js';

/** Objects whose deletions the System Log records (user types are not lifecycle-logged). */
const SYSTEM_LOG_DELETES = new Set(['Application', 'Device', 'Group', 'User']);

export function catalogProblems(config: Config): ConfigProblem[] {
  return config.flows.flatMap((flow, index) => flowProblems(flow, `flows[${index}]`));
}

function flowProblems(flow: FlowConfig, at: string): ConfigProblem[] {
  const def = getObjectDef(flow.object);
  const problems: ConfigProblem[] = [];
  if (flow.mode === 'incremental' && def.cursorField === null) {
    problems.push(
      def.source?.kind === 'children'
        ? {
            // Relations without a per-parent change marker (ADR 0004): say what to use instead, and what it gives.
            path: `${at}.mode`,
            message:
              `${def.name} has no incremental mode: Okta has no change marker it can filter on for these pairs ` +
              `(only GroupMember has one, the group's lastMembershipUpdated). Use "mode": "full" with ` +
              `"deleteDetection": "snapshot-diff": every run reads the complete set (${def.source.cost}), removed ` +
              `pairs become tombstones and the ${lakeTableNames(def.name).current} view is the current state`,
            example: '{ "mode": "full", "deleteDetection": "snapshot-diff" }',
          }
        : {
            path: `${at}.mode`,
            message: `"incremental" needs a cursor field and ${def.name} has none (incremental works for ${withCursor()})`,
            example: '"full"',
          },
    );
  }
  if (def.source?.kind === 'stream') problems.push(...streamProblems(flow, def, at));
  if (flow.slicing !== undefined && def.sliceFields.length === 0) {
    problems.push({
      path: `${at}.slicing`,
      message: `${def.name} cannot be sliced (Okta cannot search it by created or lastUpdated ranges); remove "slicing"`,
    });
  }
  if (flow.deleteDetection === 'system-log' && !SYSTEM_LOG_DELETES.has(def.name)) {
    problems.push({
      path: `${at}.deleteDetection`,
      message: `the System Log does not record ${def.name} deletions; use "snapshot-diff" with mode "full"`,
      example: '"snapshot-diff"',
    });
  }
  problems.push(...fieldProblems(flow, def, at));
  const filterIssues = filterProblems(flow, def, at);
  problems.push(...filterIssues);
  if (filterIssues.length === 0) problems.push(...perParentProblems(flow, def, at));
  return problems;
}

/** UserFactor (one request per user) needs a filter naming users or the flow's explicit opt-in. */
function perParentProblems(flow: FlowConfig, def: ObjectDef, at: string): ConfigProblem[] {
  if (def.source?.kind !== 'children' || def.source.perParentOptIn === undefined) return [];
  let filter: Filter | null = null;
  try {
    filter =
      flow.filters !== undefined
        ? toFilter(flow.filters)
        : flow.filterExpression !== undefined
          ? parseFilterExpression(flow.filterExpression).filter
          : null;
  } catch {
    return [];
  }
  const refusal = perParentRefusal(def, {
    filter,
    ...(flow.perUserRequests !== undefined ? { perParentRequests: flow.perUserRequests } : {}),
  });
  return refusal === null ? [] : [{ path: `${at}.perUserRequests`, message: refusal, example: 'true' }];
}

/**
 * A stream (the System Log) is read incrementally from its cursor: the first run starts at firstExecutionFrom (within
 * the 90-day retention; checked against the clock when the run is planned), later runs where the last one ended.
 */
function streamProblems(flow: FlowConfig, def: ObjectDef, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (flow.mode !== 'incremental') {
    problems.push({
      path: `${at}.mode`,
      message: `${def.name} is a stream (the System Log): it is read incrementally from its cursor, never as a full copy`,
      example: '"incremental"',
    });
  }
  if (flow.firstExecutionFrom === undefined) {
    problems.push({
      path: `${at}.firstExecutionFrom`,
      message: `${def.name} needs the instant its first run starts at (within the last 90 days: Okta keeps 90 days of events)`,
      example: '"2026-11-01T00:00:00Z"',
    });
  }
  if (flow.deleteDetection !== undefined && flow.deleteDetection !== 'none') {
    problems.push({
      path: `${at}.deleteDetection`,
      message: `System Log events are never deleted (they expire after 90 days); remove "deleteDetection"`,
    });
  }
  return problems;
}

function withCursor(): string {
  return OKTA_OBJECT_NAMES.filter((n) => getObjectDef(n).cursorField).join(', ');
}

function isCustomUserAttribute(def: ObjectDef, name: string): boolean {
  return def.name === 'User' && (/^profile\.[A-Za-z][\w-]*$/.test(name) || /^profile_[a-z0-9_]+$/.test(name));
}

function fieldProblems(flow: FlowConfig, def: ObjectDef, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const columns = new Map<string, number>();
  for (const [index, name] of (flow.fields ?? []).entries()) {
    const field = resolveField(def, name);
    if (field === undefined) {
      if (isCustomUserAttribute(def, name)) continue;
      const suggestion = closest(
        name,
        def.fields.map((f) => f.column),
      );
      const hint = suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : '';
      problems.push({
        path: `${at}.fields[${index}]`,
        message: `${JSON.stringify(name)} is not a ${def.name} field${hint}; \`okta-flow describe ${def.name}\` lists them`,
        example: JSON.stringify(suggestion ?? def.fields[0]?.column ?? 'id'),
      });
      continue;
    }
    const first = columns.get(field.column);
    if (first !== undefined) {
      problems.push({
        path: `${at}.fields[${index}]`,
        message: `${JSON.stringify(name)} is the same field as fields[${first}] (${field.column}); list it once`,
      });
    } else {
      columns.set(field.column, index);
    }
  }
  return problems;
}

function filterProblems(flow: FlowConfig, def: ObjectDef, at: string): ConfigProblem[] {
  let filter: Filter | null = null;
  if (flow.filters !== undefined) filter = toFilter(flow.filters);
  if (flow.filterExpression !== undefined) {
    const path = `${at}.filterExpression`;
    try {
      const parsed = parseFilterExpression(flow.filterExpression);
      if (parsed.limit !== null) {
        return [{ path, message: 'LIMIT does not apply to a flow (a flow copies every matching record); remove it' }];
      }
      filter = parsed.filter;
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      return [
        {
          path,
          message: `${JSON.stringify(flow.filterExpression)}: ${error.message}`,
          example: '"status = \\"ACTIVE\\""',
        },
      ];
    }
  }
  if (filter === null) return [];
  try {
    resolveFilter(filter, def, resolveField);
    return [];
  } catch (error) {
    if (!(error instanceof FilterValidationError)) throw error;
    if (isCustomUserAttribute(def, error.field)) return [];
    const structured = flow.filters !== undefined;
    const names = def.fields.filter((f) => f.operators.length > 0).flatMap((f) => [f.column, ...f.aliases]);
    const suggestion = error.message.startsWith('Unknown field') ? closest(error.field, names) : undefined;
    const hint = suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : '';
    return [
      {
        path: structured ? `${at}.filters` : `${at}.filterExpression`,
        message: `${error.message}${hint}`,
        example: structured ? '{"field":"status","op":"=","value":"ACTIVE"}' : '"status = \\"ACTIVE\\""',
      },
    ];
  }
}
