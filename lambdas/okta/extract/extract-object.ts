/**
 * `extractObject`: the one entry point the runner and AppFlow use — the object's own paginated list (`extract`), or,
 * for a relation, the children of its parents (`extractChildren`), with the same pages and continuations.
 */
import type { ObjectDef } from '../catalog/types.js';
import { extractChildren } from './children.js';
import { extract } from './extract.js';
import type { ExtractDeps, ExtractPage, ExtractRequest } from './types.js';

export function extractObject(
  def: ObjectDef,
  request: ExtractRequest,
  deps: ExtractDeps,
): AsyncGenerator<ExtractPage, void, undefined> {
  return def.source?.kind === 'children' ? extractChildren(def, request, deps) : extract(def, request, deps);
}
