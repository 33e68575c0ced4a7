/** Reads a dotted path (`profile.firstName`, `target.id`) from a record; arrays map over their elements. */
export function readPath(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) {
      current = current.flatMap((item) => {
        const value = readPath(item, key);
        return value === undefined ? [] : [value];
      });
    } else if (current !== null && typeof current === 'object') {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}
