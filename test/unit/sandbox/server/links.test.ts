import { describe, expect, it } from 'vitest';
import { listLinkHeaders } from '../../../../sandbox/server/links.js';

describe('listLinkHeaders', () => {
  const origin = 'http://127.0.0.1:4000';
  const next = new URLSearchParams({ search: 'status eq "ACTIVE"', after: '00u2', limit: '2' });

  it('sends self (the request verbatim) and next (the org query, encoded) as two values', () => {
    expect(
      listLinkHeaders(origin, '/api/v1/users', '?search=status%20eq%20%22ACTIVE%22&limit=2', next, 'normal'),
    ).toEqual([
      `<${origin}/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=2>; rel="self"`,
      `<${origin}/api/v1/users?search=status+eq+%22ACTIVE%22&after=00u2&limit=2>; rel="next"`,
    ]);
  });

  it('sends only self on the last page', () => {
    expect(listLinkHeaders(origin, '/api/v1/groups', '', null, 'normal')).toEqual([
      `<${origin}/api/v1/groups>; rel="self"`,
    ]);
  });

  it('produces the injected quirks: joined, missing and next == self', () => {
    const [joined] = listLinkHeaders(origin, '/api/v1/apps', '?limit=1', next, 'joined');
    expect(joined).toBe(`<${origin}/api/v1/apps?limit=1>; rel="self", <${origin}/api/v1/apps?${next}>; rel="next"`);
    expect(listLinkHeaders(origin, '/api/v1/apps', '?limit=1', next, 'missing')).toEqual([]);
    expect(listLinkHeaders(origin, '/api/v1/apps', '?limit=1', null, 'loop')).toEqual([
      `<${origin}/api/v1/apps?limit=1>; rel="self"`,
      `<${origin}/api/v1/apps?limit=1>; rel="next"`,
    ]);
  });
});
