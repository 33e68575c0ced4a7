import { describe, expect, it } from 'vitest';
import { nextLink, nonOktaTimestamps } from '../../contract/contract-probe.js';

describe('nonOktaTimestamps', () => {
  it('accepts UTC timestamps with milliseconds and ignores other strings', () => {
    expect(nonOktaTimestamps({ created: '2024-05-06T07:08:09.123Z', name: '2024 plan', n: 5 })).toEqual([]);
  });

  it('reports timestamps without milliseconds, with offsets or local time, by JSON path', () => {
    expect(
      nonOktaTimestamps([
        { created: '2024-05-06T07:08:09Z' },
        { nested: { at: '2024-05-06T07:08:09.123+02:00' } },
        { list: ['2024-05-06T07:08:09.123'] },
      ]),
    ).toEqual([
      '/0/created = 2024-05-06T07:08:09Z',
      '/1/nested/at = 2024-05-06T07:08:09.123+02:00',
      '/2/list/0 = 2024-05-06T07:08:09.123',
    ]);
  });
});

describe('nextLink', () => {
  it('finds rel="next" in separate or joined Link headers', () => {
    expect(
      nextLink('<http://o/api/v1/users?limit=2>; rel="self", <http://o/api/v1/users?after=x&limit=2>; rel="next"'),
    ).toBe('http://o/api/v1/users?after=x&limit=2');
    expect(nextLink('<http://o/api/v1/users?limit=2>; rel="self"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
