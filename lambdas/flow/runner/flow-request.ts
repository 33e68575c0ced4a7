/** What a flow's config means for extraction and output: its filter, fields and columns. */
import { getObjectDef, keyFields } from '../../okta/catalog/index.js';
import type { ObjectDef } from '../../okta/catalog/types.js';
import { selectFields } from '../../okta/extract/extract.js';
import type { Filter } from '../../okta/query/filter.js';
import { parseFilterExpression } from '../../okta/query/parse-filter-expression.js';
import { type ColumnSpec, columnsFromFields } from '../../output/columns.js';
import { toFilter } from '../config/filter-spec.js';
import { findFlow } from '../config/find-flow.js';
import type { Config, FlowConfig } from '../config/schema.js';
import { RunStateError } from './errors.js';
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

export function flowRequest(config: Config, flowName: string): FlowRequest {
  const flow = findFlow(config, flowName);
  const def = getObjectDef(flow.object);
  const fields = flow.fields;
  const selected = selectFields(def, fields);
  // The primary key is always written (the projection keeps it), so its columns always come first when not selected.
  const withKey = [...keyFields(def).filter((k) => !selected.includes(k)), ...selected];
  return { flow, def, filter: flowFilter(flow), fields, columns: columnsFromFields(withKey) };
}

/** The flow a step is about, checked against the plan it was given. */
export function requestForRun(config: Config, run: RunPlan): FlowRequest {
  const request = flowRequest(config, run.flow);
  if (request.flow.object !== run.object) {
    throw new RunStateError(
      `Run ${run.runId} of flow "${run.flow}" was planned for ${run.object}, but the config now says ` +
        `${request.flow.object}. The config changed during the run; start a new run.`,
    );
  }
  return request;
}
