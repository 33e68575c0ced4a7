/** nextToken: opaque, round-trips, and refuses tokens that are not ours or belong to another query. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../lambdas/appflow/errors.js';
import { decodeNextToken, encodeNextToken, queryFingerprint } from '../../../lambdas/appflow/next-token.js';

const q = queryFingerprint({ entity: 'User', filterExpression: 'status = "ACTIVE"', fields: ['id'] });
const position = {
  v: 1 as const,
  q,
  c: {
    v: 1 as const,
    object: 'User' as const,
    slice: null,
    window: null,
    filterHash: 'abc',
    next: '/api/v1/users?after=00u1&limit=200',
    pages: 1,
    scanned: 200,
    records: 150,
  },
  skip: 3,
  lastId: '00u9',
  emitted: 153,
};

describe('nextToken', () => {
  it('round-trips and is URL-safe', () => {
    const token = encodeNextToken(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeNextToken(token, q)).toEqual(position);
  });

  it('depends on entity, filter and fields', () => {
    const other = [
      queryFingerprint({ entity: 'Group', filterExpression: 'status = "ACTIVE"', fields: ['id'] }),
      queryFingerprint({ entity: 'User', filterExpression: 'status = "STAGED"', fields: ['id'] }),
      queryFingerprint({ entity: 'User', filterExpression: 'status = "ACTIVE"', fields: ['id', 'email'] }),
    ];
    expect(new Set([q, ...other]).size).toBe(4);
    expect(() => decodeNextToken(encodeNextToken(position), other[1] as string)).toThrow(/different query/);
  });

  it.each(['', 'not-base64!!', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('[]').toString('base64url')])(
    'refuses %j',
    (token) => {
      expect(() => decodeNextToken(token, q)).toThrow(InvalidRequestError);
    },
  );

  it('refuses a continuation that is not a relative path (no open redirect through the token)', () => {
    const evil = encodeNextToken({ ...position, c: { ...position.c, next: 'https://evil.example.com/api/v1/users' } });
    expect(() => decodeNextToken(evil, q)).toThrow(InvalidRequestError);
  });
});
