import { describe, expect, it } from 'vitest';
import { createClock, oktaTimestamp } from '../../../sandbox/clock.js';

describe('sandbox clock', () => {
  it('stands still when not running and moves only when told', () => {
    const clock = createClock(Date.UTC(2026, 0, 1), { running: false });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    clock.advance(1500);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 1500);
    clock.set(Date.UTC(2027, 5, 1));
    expect(oktaTimestamp(clock.now())).toBe('2027-06-01T00:00:00.000Z');
  });

  it('follows the wall clock from the set point when running', async () => {
    const clock = createClock(0, { running: true });
    const first = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBeGreaterThanOrEqual(first + 15);
    expect(clock.now()).toBeLessThan(10_000);
  });
});
