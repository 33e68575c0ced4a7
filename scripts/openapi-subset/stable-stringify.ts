/** JSON with object keys sorted at every level (arrays keep their order), so regenerated files diff cleanly. */
export function stableStringify(value: unknown, indent?: number): string {
  const text = JSON.stringify(sortKeys(value), null, indent);
  return indent === undefined ? text : `${text}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
