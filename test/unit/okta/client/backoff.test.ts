import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../lambdas/okta/http/backoff.js';

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^attempt))', () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(1_000, 100 * 2 ** attempt);
      expect(backoffDelay(attempt, () => 0, policy)).toBe(0);
      const high = backoffDelay(attempt, () => 0.999999, policy);
      expect(high).toBeLessThan(ceiling);
      expect(high).toBeGreaterThanOrEqual(ceiling - 1);
      expect(backoffDelay(attempt, () => 0.5, policy)).toBe(Math.floor(ceiling / 2));
    }
  });
});
