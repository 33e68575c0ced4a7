/**
 * Turns zod issues into ConfigProblems that say where, what is wrong (with the offending value) and an example of
 * right. Examples come from the issue (`params.example`, set by refinements) or from the `.meta({examples})` of the
 * schema at the issue's path, so the editor JSON Schema and the error messages never disagree.
 */
import { z } from 'zod';
import type { ConfigProblem } from './config-error.js';

type Key = PropertyKey;
type Issue = z.core.$ZodIssue;

export function problemsFromIssues(issues: readonly Issue[], root: z.core.$ZodType, base: readonly Key[] = []) {
  return issues.flatMap((issue) => problemsFromIssue(issue, root, base));
}

function problemsFromIssue(issue: Issue, root: z.core.$ZodType, base: readonly Key[]): ConfigProblem[] {
  const path = [...base, ...issue.path];
  switch (issue.code) {
    case 'invalid_union': {
      const best = bestBranch(issue.errors);
      // The branch the user meant failed below its root (or only on extra keys): report its details.
      if (best && !best.some(isShapeMismatch)) return problemsFromIssues(best, root, path);
      return [problem(root, path, `${unionMessage(issue.message)}, got ${describe(input(issue))}`)];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyProblem(root, path, key));
    default:
      return [problem(root, path, messageFor(issue), exampleParam(issue))];
  }
}

/** The branch the user most likely meant: the one with the cheapest failures (nested unions resolved first). */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const resolved = branches.map(resolveNestedUnions);
  return [...resolved].sort((a, b) => cost(a) - cost(b))[0];
}

/** A union directly at a branch's root (a lazy union inside a union) stands for its own best branch. */
function resolveNestedUnions(branch: readonly Issue[]): readonly Issue[] {
  return branch.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.path.length > 0) return [issue];
    const best = bestBranch(issue.errors);
    return best && !best.some(isShapeMismatch) ? best : [issue];
  });
}

/** The value is not even the right kind of thing for this branch (a string where an object goes). */
function isShapeMismatch(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_union');
}

function cost(branch: readonly Issue[]): number {
  return branch.reduce((sum, issue) => {
    if (isShapeMismatch(issue)) return sum + 1000;
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) return sum + 10 * issue.keys.length;
    return sum + 1;
  }, 0);
}

function unionMessage(message: string): string {
  return message === 'Invalid input' ? 'does not match any allowed form' : message;
}

function messageFor(issue: Issue): string {
  const value = input(issue);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'is required' : `expected ${article(issue.expected)}, got ${describe(value)}`;
    case 'invalid_value': {
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}, got ${describe(value)}`;
      const close = typeof value === 'string' ? closest(value, issue.values.map(String)) : undefined;
      const hint = close ? ` (did you mean ${JSON.stringify(close)}?)` : '';
      return `${describe(value)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${hint}`;
    }
    case 'too_small':
      if ((issue.origin === 'array' || issue.origin === 'string') && Number(issue.minimum) === 1)
        return 'must not be empty';
      return `${describe(value)} is too small: ${bound(issue.origin, issue.minimum, issue.inclusive, 'least')}`;
    case 'too_big':
      return `${describe(value)} is too big: ${bound(issue.origin, issue.maximum, issue.inclusive, 'most')}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid')
        ? `${describe(value)} is not a valid ${issue.format}`
        : `${describe(value)} ${issue.message}`;
    case 'not_multiple_of':
      return `${describe(value)} must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, word: string): string {
  const n = String(limit);
  if (origin === 'string') return `must have at ${word} ${n} characters`;
  if (origin === 'array' || origin === 'set') return `must have at ${word} ${n} item${n === '1' ? '' : 's'}`;
  const op = word === 'least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `must be ${op} ${n}`;
}

function unknownKeyProblem(root: z.core.$ZodType, parent: readonly Key[], key: string): ConfigProblem {
  const known = schemaKeysAt(root, parent);
  const close = closest(key, known);
  const message = close
    ? `unknown key (did you mean ${JSON.stringify(close)}?)`
    : `unknown key (known keys: ${known.join(', ')})`;
  const example = close ? JSON.stringify(close) : undefined;
  return { path: formatPath([...parent, key]), message, example };
}

function problem(root: z.core.$ZodType, path: readonly Key[], message: string, example?: string): ConfigProblem {
  return { path: formatPath(path), message, example: example ?? examplesAt(root, path) };
}

function exampleParam(issue: Issue): string | undefined {
  if (issue.code !== 'custom' || !issue.params || !('example' in issue.params)) return undefined;
  return JSON.stringify(issue.params.example);
}

function input(issue: Issue): unknown {
  return 'input' in issue ? issue.input : undefined;
}

export function formatPath(path: readonly Key[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}

function article(type: string): string {
  const names: Record<string, string> = {
    array: 'a list',
    object: 'an object',
    int: 'an integer',
    integer: 'an integer',
  };
  return names[type] ?? `a ${type}`;
}

/** The candidate within edit distance 2 (or a case-insensitive match), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/**
 * Up to `count` candidates nearest to `word` (case-insensitive edit distance, then containment), nearest first:
 * for "did you mean" lists where one guess is not enough (`profile.githubHandel` → profile.githubHandle, …).
 */
export function closestNames(word: string, candidates: readonly string[], count = 3): string[] {
  const w = word.toLowerCase();
  const scored = [...new Set(candidates)].map((candidate) => {
    const c = candidate.toLowerCase();
    const distance = c === w ? 0 : editDistance(w, c);
    const contains = c.length >= 4 && w.length >= 4 && (c.includes(w) || w.includes(c));
    return { candidate, distance, near: distance <= Math.max(2, Math.floor(w.length / 3)) || contains };
  });
  return scored
    .filter((s) => s.near)
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, count)
    .map((s) => s.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// --- walking the schema by path (for examples and known keys) -------------------------------------------------------

interface Def {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly getter?: () => z.core.$ZodType;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly element?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly valueType?: z.core.$ZodType;
}

function def(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

/** The schema and its wrappers (optional, default, pipe, lazy), outermost first; unions expand to every option. */
function layers(schema: z.core.$ZodType): z.core.$ZodType[] {
  const d = def(schema);
  const inner = d.innerType ?? d.in ?? d.getter?.();
  if (inner) return [schema, ...layers(inner)];
  if (d.type === 'union' && d.options) return [schema, ...d.options.flatMap(layers)];
  return [schema];
}

function schemasAt(root: z.core.$ZodType, path: readonly Key[]): z.core.$ZodType[] {
  let current = [root];
  for (const key of path) {
    current = current.flatMap(layers).flatMap((schema) => {
      const d = def(schema);
      if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) return [d.shape[key]];
      if (d.type === 'array' && typeof key === 'number' && d.element) return [d.element];
      if (d.type === 'record' && typeof key === 'string' && d.valueType) return [d.valueType];
      return [];
    });
  }
  return current;
}

function examplesAt(root: z.core.$ZodType, path: readonly Key[]): string | undefined {
  for (const schema of schemasAt(root, path).flatMap(layers)) {
    const examples = z.globalRegistry.get(schema)?.examples;
    if (Array.isArray(examples) && examples.length > 0) return examples.map((e) => JSON.stringify(e)).join(' or ');
  }
  return undefined;
}

function schemaKeysAt(root: z.core.$ZodType, path: readonly Key[]): string[] {
  const keys = new Set<string>();
  for (const schema of schemasAt(root, path).flatMap(layers)) {
    const d = def(schema);
    if (d.type === 'object' && d.shape) for (const key of Object.keys(d.shape)) keys.add(key);
  }
  return [...keys].filter((key) => key !== '$comment' && key !== '$schema');
}
