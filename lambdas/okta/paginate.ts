/**
 * Link-following pagination as an async generator, one page at a time (constant memory), with loop guards:
 * next == self, a repeated URL or `after` cursor, a cross-origin next link (error). An empty page ends the listing.
 *
 * No silent truncation: a FULL page (as many items as `limit` asked for) without a next link may be Okta dropping
 * the Link header mid-listing. It is verified by asking for the page after its last record (`after=<last id>`, the
 * cursor Okta's list endpoints use): an empty answer confirms the end, records continue the listing. A full page
 * whose last record has no id cannot be verified and is an `OktaPaginationError`. Anomalies (no Link header at all,
 * records found after a page without next) are reported to `observer.onWarning`.
 *
 * System Log polling (`allowEmptyPages`) yields the empty page with its next link and stops, so the caller can
 * poll that link later. Every URL or cursor quoted in an error or warning is scrubbed of credentials (`scrub`).
 */
import { isSameOrigin } from './domain.js';
import { OktaPaginationError } from './errors.js';
import type { OktaResponse } from './http/executor.js';
import { findLink } from './http/link.js';
import { redactUrlPath } from './http/redact.js';
import type { OktaClientObserver, OktaPage } from './types.js';

export interface PaginateOptions {
  readonly signal?: AbortSignal;
  /**
   * System Log polling: Okta always sends `next`, even on an empty page. With this flag an empty page is yielded with
   * its `nextUrl` (poll it later) and the generator stops; without it an empty page ends the listing.
   */
  readonly allowEmptyPages?: boolean;
  /**
   * Fetch the next page while the consumer is still working on the current one. With one request in flight, every
   * millisecond the consumer spends on a page (projection, filtering, encoding) is otherwise a millisecond the org
   * sits idle; one page of read-ahead hides it and keeps memory constant. A read-ahead the consumer never asks for
   * (it stopped early) is aborted.
   */
  readonly readAhead?: boolean;
}

export interface PaginateDeps {
  readonly origin: string;
  readonly get: (url: URL, signal?: AbortSignal) => Promise<OktaResponse>;
  readonly observer?: OktaClientObserver | undefined;
  /** Removes the credentials in use from text that came from Okta (next links may echo them). */
  readonly scrub?: ((text: string) => string) | undefined;
}

/** Resolve a path or absolute URL against the org origin; absolute URLs must be on that origin. */
export function resolveOnOrigin(pathOrUrl: string, origin: string): URL {
  const url = new URL(pathOrUrl, origin);
  if (url.origin !== origin) {
    throw new OktaPaginationError({
      reason: 'cross-origin',
      url: `${url.origin}${redactUrlPath(url)}`,
      detail: `refusing to send Okta credentials to ${url.origin}; only ${origin} is allowed.`,
    });
  }
  return url;
}

export async function* paginate<T>(
  pathOrUrl: string,
  deps: PaginateDeps,
  options: PaginateOptions = {},
): AsyncGenerator<OktaPage<T>> {
  let url: URL | null = resolveOnOrigin(pathOrUrl, deps.origin);
  const scrub = deps.scrub ?? ((text: string) => text);
  const show = (u: URL) => scrub(redactUrlPath(u));
  const seenUrls = new Set<string>();
  const seenCursors = new Set<string>();
  const firstCursor = url.searchParams.get('after');
  if (firstCursor !== null) seenCursors.add(firstCursor);
  const ahead = new AbortController();
  const aheadSignal = options.signal ? AbortSignal.any([options.signal, ahead.signal]) : ahead.signal;
  let pending: Promise<OktaResponse> | null = null;
  /** The verification page being fetched (see verifyEnd), when there is one. */
  let probing: string | null = null;
  try {
    while (url) {
      const current: URL = url;
      seenUrls.add(current.href);
      const response = await (pending ?? deps.get(current, options.signal));
      pending = null;
      const where = show(current);
      if (!Array.isArray(response.body)) {
        throw new OktaPaginationError({
          reason: 'not-an-array',
          url: where,
          detail: `expected a JSON array from a list endpoint, got ${response.body === null ? 'null' : typeof response.body}.`,
        });
      }
      const items = response.body as T[];
      const linkHeader = response.headers.get('link');
      const nextRaw = findLink(linkHeader, 'next');
      const selfRaw = findLink(linkHeader, 'self');
      let next: URL | null = null;
      if (nextRaw !== null) {
        try {
          next = new URL(nextRaw, current);
        } catch (err) {
          throw new OktaPaginationError({ reason: 'bad-link', url: where, detail: 'the next link is not a URL.' }, err);
        }
        if (!isSameOrigin(next, deps.origin)) {
          throw new OktaPaginationError({
            reason: 'cross-origin',
            url: where,
            detail: `the next link points to ${scrub(next.origin)}, not the org ${deps.origin}; refusing to follow it.`,
          });
        }
      }

      if (items.length === 0) {
        if (options.allowEmptyPages) {
          yield { items, nextUrl: next?.href ?? null, url: current.href };
          return;
        }
        if (next) {
          deps.observer?.onWarning?.({
            code: 'okta.pagination.empty-page-with-next',
            message: `An empty page at ${where} still had a next link; treating it as the end of the listing.`,
          });
        }
        yield { items, nextUrl: null, url: current.href };
        return;
      }

      if (probing === current.href) {
        deps.observer?.onWarning?.({
          code: 'okta.pagination.link-missing-more',
          message:
            `Okta ended a full page without a next link, but the page after its last record (${where}) has ` +
            `${items.length} more: continuing from there.`,
        });
      }
      probing = null;
      if (next === null) {
        next = verifyEnd(current, items, linkHeader, where, deps, scrub);
        if (next !== null) probing = next.href;
      }

      if (next) {
        const self = selfRaw === null ? null : safeUrl(selfRaw, current);
        if (next.href === current.href || (self !== null && next.href === self.href)) {
          throw new OktaPaginationError({
            reason: 'next-is-self',
            url: where,
            detail: 'Okta returned a next link equal to the page itself (a pagination loop); stopping with an error.',
          });
        }
        if (seenUrls.has(next.href)) {
          throw new OktaPaginationError({
            reason: 'repeated-url',
            url: where,
            detail: `the next link ${show(next)} was already fetched (a pagination loop).`,
          });
        }
        const cursor = next.searchParams.get('after');
        if (cursor !== null) {
          if (seenCursors.has(cursor)) {
            throw new OktaPaginationError({
              reason: 'repeated-cursor',
              url: where,
              detail: `the next link repeats cursor after=${scrub(cursor)} (a pagination loop).`,
            });
          }
          seenCursors.add(cursor);
        }
      }
      if (next && options.readAhead) {
        const prefetch = deps.get(next, aheadSignal);
        // Handled here so a failure waits, unreported, until the consumer asks for that page (or is dropped).
        prefetch.catch(() => undefined);
        pending = prefetch;
      }
      yield { items, nextUrl: next?.href ?? null, url: current.href };
      url = next;
    }
  } finally {
    ahead.abort();
  }
}

/**
 * A full page without a next link: the URL of the page after its last record, to confirm the listing really ends
 * there (null when the page is not full: a short page is the last one). Throws when the page cannot be verified.
 */
function verifyEnd(
  current: URL,
  items: readonly unknown[],
  linkHeader: string | null,
  where: string,
  deps: PaginateDeps,
  scrub: (text: string) => string,
): URL | null {
  const limit = Number(current.searchParams.get('limit') ?? Number.NaN);
  if (!(Number.isFinite(limit) && limit > 0 && items.length >= limit)) return null;
  const last = items[items.length - 1] as { id?: unknown } | null;
  const lastId = last !== null && typeof last === 'object' ? last.id : undefined;
  if (typeof lastId !== 'string' || lastId === '') {
    throw new OktaPaginationError({
      reason: 'unverifiable-end',
      url: where,
      detail:
        `a full page (${items.length} items) came without a next link, and its last record has no id to ask for ` +
        'the page after it: the listing may be truncated, so nothing is committed. Re-run; if it persists, report ' +
        'it to Okta support with the request id.',
    });
  }
  if (linkHeader === null) {
    deps.observer?.onWarning?.({
      code: 'okta.pagination.link-missing',
      message:
        `A full page (${items.length} items) at ${where} had no Link header; asking for the page after its last ` +
        `record (after=${scrub(lastId)}) to make sure the listing really ends there.`,
    });
  }
  const probe = new URL(current);
  probe.searchParams.set('after', lastId);
  return probe;
}

function safeUrl(raw: string, base: URL): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}
