/** What a flow's config means for extraction and output: its filter, fields and columns. */
import { getObjectDef, keyFields, resolveField } from '../../okta/catalog/index.js';
import type { ObjectDef } from '../../okta/catalog/types.js';
import { selectFields } from '../../okta/extract/extract.js';
import type { Filter } from '../../okta/query/filter.js';
import { FilterValidationError } from '../../okta/query/filter-validation-error.js';
import { parseFilterExpression } from '../../okta/query/parse-filter-expression.js';
import { resolveFilter } from '../../okta/query/resolve-filter.js';
import { type ColumnSpec, columnsFromFields } from '../../output/columns.js';
import { toFilter } from '../config/filter-spec.js';
import { findFlow } from '../config/find-flow.js';
import { closestNames } from '../config/format-issues.js';
import type { Config, FlowConfig } from '../config/schema.js';
import type { StateStore } from '../state/state-store.js';
import { FlowFieldError, RunStateError } from './errors.js';
import { loadResolvedSchema, resolvedDef } from './resolve-schema.js';
import type { RunPlan } from './types.js';

export interface FlowRequest {
  readonly flow: FlowConfig;
  readonly def: ObjectDef;
  readonly filter: Filter | null;
  readonly fields: readonly string[] | undefined;
  readonly columns: ColumnSpec[];
}

export function flowFilter(flow: FlowConfig): Filter | null {
  if (flow.filters !== undefined) return toFilter(flow.filters);
  if (flow.filterExpression !== undefined) return parseFilterExpression(flow.filterExpression).filter;
  return null;
}

/** The flow's request against `def`: the catalog's definition, or the run's resolved one (custom attributes). */
export function flowRequest(config: Config, flowName: string, resolved?: ObjectDef): FlowRequest {
  const flow = findFlow(config, flowName);
  const def = resolved ?? getObjectDef(flow.object);
  const fields = flow.fields;
  const selected = selectFields(def, fields);
  // The primary key is always written (the projection keeps it), so its columns always come first when not selected.
  const withKey = [...keyFields(def).filter((k) => !selected.includes(k)), ...selected];
  return { flow, def, filter: flowFilter(flow), fields, columns: columnsFromFields(withKey) };
}

/**
 * Checks a flow's fields and filter against the object as the org defines it now (plan time, before anything is
 * written): an unknown name fails with the closest known ones; `notes` (what could not be read) are appended.
 */
export function checkFlowAgainst(def: ObjectDef, flow: FlowConfig, notes: readonly string[] = []): void {
  const names = def.fields.flatMap((f) => [f.column, ...f.aliases]);
  const unknown = (name: string, what: string, candidates: readonly string[]): FlowFieldError => {
    const suggestions = closestNames(name, candidates);
    const custom = def.fields.filter((f) => f.custom).map((f) => `profile.${f.path[1] ?? f.column}`);
    const hint =
      suggestions.length > 0
        ? ` Closest: ${suggestions.join(', ')}.`
        : custom.length > 0
          ? ` The org's custom attributes: ${custom.slice(0, 12).join(', ')}${custom.length > 12 ? ', …' : ''}.`
          : '';
    const noted = notes.length > 0 ? ` Note: ${notes.join('; ')}.` : '';
    return new FlowFieldError(
      `Flow "${flow.name}": ${what} ${JSON.stringify(name)} is not a ${def.name} field of this org.${hint}${noted} ` +
        `\`okta-flow describe ${def.name}\` with org access (--sandbox or --secret-file) lists them. Nothing was written.`,
      name,
      suggestions,
    );
  };
  for (const name of flow.fields ?? []) {
    if (resolveField(def, name) === undefined) throw unknown(name, 'field', names);
  }
  const filter = flowFilter(flow);
  if (filter === null) return;
  try {
    resolveFilter(filter, def, resolveField);
  } catch (error) {
    if (!(error instanceof FilterValidationError)) throw error;
    if (resolveField(def, error.field) === undefined) {
      const filterable = def.fields.filter((f) => f.operators.length > 0).flatMap((f) => [f.column, ...f.aliases]);
      throw unknown(error.field, 'the filter uses', filterable);
    }
    throw new FlowFieldError(`Flow "${flow.name}": ${error.message}. Nothing was written.`, error.field, [], {
      cause: error,
    });
  }
}

/** The flow a step is about, checked against the plan it was given, with the run's resolved schema. */
export async function requestForRun(config: Config, run: RunPlan, state: StateStore): Promise<FlowRequest> {
  const flow = findFlow(config, run.flow);
  if (flow.object !== run.object) {
    throw new RunStateError(
      `Run ${run.runId} of flow "${run.flow}" was planned for ${run.object}, but the config now says ` +
        `${flow.object}. The config changed during the run; start a new run.`,
    );
  }
  const resolved = run.schema === null ? null : await loadResolvedSchema(state, run.schema);
  return flowRequest(config, run.flow, resolvedDef(getObjectDef(run.object), resolved));
}
