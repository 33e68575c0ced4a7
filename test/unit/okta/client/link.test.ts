import { describe, expect, it } from 'vitest';
import { findLink, parseLinkHeader } from '../../../../lambdas/okta/http/link.js';

const self = 'https://acme.okta.com/api/v1/users?limit=200';
const next = 'https://acme.okta.com/api/v1/users?after=00ud4tVDDXYVKPXKVLCO&limit=200';

describe('Link header parsing', () => {
  it('reads two header lines joined by fetch', () => {
    const h = new Headers();
    h.append('link', `<${self}>; rel="self"`);
    h.append('link', `<${next}>; rel="next"`);
    expect(findLink(h.get('link'), 'next')).toBe(next);
    expect(findLink(h.get('link'), 'self')).toBe(self);
  });

  it('reads a single comma-joined header in either order, unquoted rel and odd spacing', () => {
    expect(findLink(`<${next}>;rel=next,<${self}>;rel=self`, 'next')).toBe(next);
    expect(findLink(`<${self}> ; rel = "self" ,  <${next}> ; rel = "next"`, 'NEXT')).toBe(next);
  });

  it('keeps commas and semicolons inside the URL', () => {
    const odd = 'https://acme.okta.com/api/v1/users?search=profile.x%20eq%20"a,b;c"&after=1';
    expect(findLink(`<${self}>; rel="self", <${odd}>; rel="next"`, 'next')).toBe(odd);
  });

  it('handles multiple relation types and extra params', () => {
    const links = parseLinkHeader(`<${next}>; title="a, b"; rel="next prefetch"`);
    expect(links).toEqual([{ url: next, rels: ['next', 'prefetch'] }]);
  });

  it('returns null when there is no next', () => {
    expect(findLink(`<${self}>; rel="self"`, 'next')).toBeNull();
    expect(findLink(null, 'next')).toBeNull();
    expect(findLink('garbage', 'next')).toBeNull();
  });
});
