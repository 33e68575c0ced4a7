/**
 * RFC 8288 `Link` header parsing for Okta's pagination. Okta sends one header line per link; fetch joins repeated
 * headers with ", ", so both `<a>; rel="self"` + `<b>; rel="next"` and `<a>; rel="self", <b>; rel="next"` must work.
 * URLs are enclosed in <…> and may themselves contain commas and semicolons (in the query), so we scan for <…>.
 */

export interface LinkEntry {
  readonly url: string;
  readonly rels: readonly string[];
}

/** Parse every link-value in a (possibly comma-joined) Link header. Malformed parts are skipped. */
export function parseLinkHeader(header: string | null | undefined): LinkEntry[] {
  if (!header) return [];
  const out: LinkEntry[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open + 1);
    if (close < 0) break;
    const url = header.slice(open + 1, close).trim();
    // Params run until the next link-value starts: a comma followed (after spaces) by '<'.
    let end = close + 1;
    let inQuotes = false;
    for (; end < header.length; end++) {
      const ch = header[end];
      if (ch === '"') inQuotes = !inQuotes;
      else if (ch === ',' && !inQuotes && /^\s*</.test(header.slice(end + 1))) break;
    }
    const params = header.slice(close + 1, end);
    const rels: string[] = [];
    for (const m of params.matchAll(/;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/gi)) {
      const value = m[1] ?? m[2] ?? '';
      for (const r of value.split(/\s+/)) if (r) rels.push(r.toLowerCase());
    }
    out.push({ url, rels });
    i = end + 1;
  }
  return out;
}

/** The first link with relation `rel`, or null. */
export function findLink(header: string | null | undefined, rel: string): string | null {
  const wanted = rel.toLowerCase();
  return parseLinkHeader(header).find((l) => l.rels.includes(wanted))?.url ?? null;
}
