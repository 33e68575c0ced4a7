/** How the Link header of a list response is shaped; the non-default modes are injected faults. */
export type LinkMode = 'normal' | 'joined' | 'missing' | 'loop';

/**
 * Okta's RFC 8288 Link headers: `<self>; rel="self"` and, while more remains, `<next>; rel="next"`, as two header
 * lines. `self` echoes the request's own query verbatim; `next` is the org's next-page query on the same path.
 */
export function listLinkHeaders(
  origin: string,
  pathname: string,
  search: string,
  next: URLSearchParams | null,
  mode: LinkMode,
): string[] {
  if (mode === 'missing') return [];
  const self = `${origin}${pathname}${search}`;
  const links = [`<${self}>; rel="self"`];
  if (mode === 'loop') links.push(`<${self}>; rel="next"`);
  else if (next) links.push(`<${origin}${pathname}?${next.toString()}>; rel="next"`);
  return mode === 'joined' ? [links.join(', ')] : links;
}
