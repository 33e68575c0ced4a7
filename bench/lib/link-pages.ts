/**
 * A plain Link-following page walker for benchmarks (the product's paginator lives in lambdas/okta): fetches `url`,
 * then each `rel="next"` until there is none, counting pages, records and bytes.
 */
export interface WalkResult {
  readonly pages: number;
  readonly records: number;
  readonly bytes: number;
  readonly ms: number;
}

const NEXT = /<([^>]+)>\s*;\s*rel="?next"?/;

/** The `rel="next"` URL of a Link header (either one joined header or several), or null. */
export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = NEXT.exec(part);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

export async function walkPages(
  url: string,
  headers: Record<string, string>,
  options: { maxPages?: number } = {},
): Promise<WalkResult> {
  const started = performance.now();
  let pages = 0;
  let records = 0;
  let bytes = 0;
  let next: string | null = url;
  const seen = new Set<string>();
  while (next !== null && pages < (options.maxPages ?? Number.POSITIVE_INFINITY)) {
    if (seen.has(next)) throw new Error(`pagination loop: ${next} was already fetched`);
    seen.add(next);
    const response: Response = await fetch(next, { headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${next} → ${response.status}: ${text.slice(0, 300)}`);
    const body: unknown = JSON.parse(text);
    if (!Array.isArray(body)) throw new Error(`GET ${next} did not return a JSON array`);
    pages++;
    records += body.length;
    bytes += Buffer.byteLength(text);
    next = nextLink(response.headers.get('link'));
  }
  return { pages, records, bytes, ms: performance.now() - started };
}
