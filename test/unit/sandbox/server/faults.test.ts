import { describe, expect, it } from 'vitest';
import { FaultController, InvalidFaultRuleError } from '../../../../sandbox/server/faults.js';

const users = { method: 'GET', pathname: '/api/v1/users', template: '/api/v1/users' };
const user = { method: 'GET', pathname: '/api/v1/users/00u1', template: '/api/v1/users/{id}' };
const token = { method: 'POST', pathname: '/oauth2/v1/token', template: '/oauth2/v1/token' };

describe('FaultController', () => {
  it('matches by exact route template, path prefix and method', () => {
    const faults = new FaultController(1);
    faults.add({ route: '/api/v1/users', fault: { kind: 'truncate' } });
    faults.add({ pathPrefix: '/api/v1/users', fault: { kind: 'missingLink' } });
    faults.add({ method: 'post', fault: { kind: 'reset' } });
    expect(faults.decide(users).map((f) => f.kind)).toEqual(['truncate', 'missingLink']);
    expect(faults.decide(user).map((f) => f.kind)).toEqual(['missingLink']);
    expect(faults.decide(token).map((f) => f.kind)).toEqual(['reset']);
  });

  it('fires on the Nth match only, and honours times', () => {
    const faults = new FaultController(1);
    faults.add({ route: '/api/v1/users', nth: 2, fault: { kind: 'reset' } });
    faults.add({ route: '/api/v1/users/{id}', times: 2, fault: { kind: 'truncate' } });
    expect([1, 2, 3].map(() => faults.decide(users).length)).toEqual([0, 1, 0]);
    expect([1, 2, 3].map(() => faults.decide(user).length)).toEqual([1, 1, 0]);
    expect(faults.list().map((entry) => [entry.matched, entry.fired])).toEqual([
      [3, 1],
      [3, 2],
    ]);
    expect(faults.firedTotal).toBe(3);
  });

  it('draws probabilities from a seeded RNG: same seed, same sequence', () => {
    const run = (seed: number) => {
      const faults = new FaultController(seed, [{ probability: 0.3, fault: { kind: 'status', status: 500 } }]);
      return Array.from({ length: 200 }, () => faults.decide(users).length);
    };
    const a = run(5);
    expect(a).toEqual(run(5));
    expect(a).not.toEqual(run(6));
    const hits = a.reduce((sum, n) => sum + n, 0);
    expect(hits).toBeGreaterThan(20);
    expect(hits).toBeLessThan(120);
  });

  it('clears one rule by id or all of them', () => {
    const faults = new FaultController(1);
    const id = faults.add({ fault: { kind: 'reset' } });
    faults.add({ id: 'mine', fault: { kind: 'truncate' } });
    faults.clear(id);
    expect(faults.list().map((entry) => entry.rule.id)).toEqual(['mine']);
    faults.clear();
    expect(faults.active).toBe(false);
  });

  it('rejects malformed rules with a message that says what to fix', () => {
    const faults = new FaultController(1);
    expect(() => faults.add({ fault: { kind: 'status', status: 200 } })).toThrow(InvalidFaultRuleError);
    expect(() => faults.add({ nth: 0, fault: { kind: 'reset' } })).toThrow(/nth/);
    expect(() => faults.add({ probability: 2, fault: { kind: 'reset' } })).toThrow(/probability/);
    expect(() => faults.add(JSON.parse('{"fault":{"kind":"meteor"}}'))).toThrow(/fault.kind/);
  });
});
