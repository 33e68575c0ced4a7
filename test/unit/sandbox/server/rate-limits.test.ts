import { describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { RateLimiter, UNLIMITED } from '../../../../sandbox/server/rate-limits.js';

describe('RateLimiter', () => {
  const clock = createClock(Date.UTC(2026, 0, 1, 0, 0, 30, 250), { running: false });

  it('picks buckets by method and longest path prefix, on segment boundaries', () => {
    const limiter = new RateLimiter(clock, {});
    const bucket = (method: string, path: string) => limiter.bucketFor(method, path).name;
    expect(bucket('GET', '/api/v1/users')).toBe('users');
    expect(bucket('GET', '/api/v1/users/00u1/groups')).toBe('users');
    expect(bucket('GET', '/api/v1/usersx')).toBe('api');
    expect(bucket('GET', '/api/v1/groups/00g1/users')).toBe('groups');
    expect(bucket('GET', '/api/v1/meta/types/user')).toBe('api');
    expect(bucket('POST', '/api/v1/users')).toBe('usersWrite');
    expect(bucket('DELETE', '/api/v1/groups/00g1/users/00u1')).toBe('groupsWrite');
    expect(bucket('PUT', '/api/v1/apps/0oa1/groups/00g1')).toBe('appsWrite');
    expect(bucket('POST', '/api/v1/logs')).toBe('api');
    expect(bucket('HEAD', '/api/v1/users')).toBe('users');
    expect(bucket('POST', '/oauth2/v1/token')).toBe('token');
    expect(bucket('GET', '/oauth2/v1/keys')).toBe('oauth');
    expect(bucket('GET', '/.well-known/openid-configuration')).toBe('other');
    expect(limiter.bucketFor('GET', '/api/v1/logs').limit).toBe(50);
    expect(limiter.bucketFor('GET', '/api/v1/apps').limit).toBe(100);
    expect(limiter.bucketFor('POST', '/api/v1/apps/0oa1/users').limit).toBe(100);
    expect(limiter.bucketFor('POST', '/api/v1/users/00u1/lifecycle/suspend').limit).toBe(600);
  });

  it('opens a window at the first request, not on the minute, and refuses past the limit until it closes', () => {
    const limiter = new RateLimiter(clock, { limits: { devices: 2 } });
    const take = () => limiter.take('GET', '/api/v1/devices', 'p');
    const first = take();
    expect(first).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(first.resetSeconds).toBe(Math.ceil((clock.now() + 60_000) / 1000));
    expect(take()).toMatchObject({ allowed: true, remaining: 0 });
    expect(take()).toMatchObject({ allowed: false, remaining: 0, resetSeconds: first.resetSeconds });
    clock.advance(59_999);
    expect(take().allowed).toBe(false);
    clock.advance(1);
    expect(take()).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('caps each principal at its share while the org total still applies', () => {
    const limiter = new RateLimiter(clock, { limits: { logs: 4 }, principalShare: 0.5 });
    const take = (principal: string) => limiter.take('GET', '/api/v1/logs', principal);
    expect(take('a')).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(take('a').allowed).toBe(true);
    expect(take('a').allowed).toBe(false);
    expect(take('b').allowed).toBe(true);
    expect(take('b').allowed).toBe(true);
    expect(take('c').allowed).toBe(false);
  });

  it('when disabled always allows and advertises an unlimited bucket', () => {
    const limiter = new RateLimiter(clock, false);
    for (let i = 0; i < 100; i += 1) expect(limiter.take('GET', '/api/v1/logs', 'p').allowed).toBe(true);
    expect(limiter.take('GET', '/api/v1/logs', 'p')).toMatchObject({ limit: UNLIMITED, remaining: UNLIMITED });
  });

  it('uses a configurable window length', () => {
    const limiter = new RateLimiter(clock, { limits: { users: 1 }, windowMs: 1000 });
    expect(limiter.take('GET', '/api/v1/users', 'p').allowed).toBe(true);
    expect(limiter.take('GET', '/api/v1/users', 'p').allowed).toBe(false);
    clock.advance(1000);
    expect(limiter.take('GET', '/api/v1/users', 'p').allowed).toBe(true);
  });
});
