import { Stream } from './random.js';
import { SparseSubset } from './sparse-subset.js';
import type { UserStore } from './users.js';

/**
 * Group membership: for each generated group a `SparseSubset` of the generated users (so "members of g" is
 * enumerable in id order at the cost of the answer and "is u in g" is one chunk regeneration), under an overlay of
 * admin adds and removes. Group 0 (`Everyone`) holds every live user and needs no set at all.
 */
export class GroupMembers {
  private readonly subsets = new Map<number, SparseSubset>();
  private readonly overlay = new Map<number, Map<number, boolean>>();

  constructor(
    private readonly seed: number,
    private readonly users: UserStore,
    /** Groups with generated members are [1, generatedGroups); later (admin-created) groups start empty. */
    private readonly generatedGroups: number,
    private readonly density: (g: number) => number,
  ) {}

  /** The generated members of group g (ignoring the overlay and deleted users). */
  generated(g: number): SparseSubset {
    let subset = this.subsets.get(g);
    if (!subset) {
      const p = g > 0 && g < this.generatedGroups ? this.density(g) : 0;
      subset = new SparseSubset(this.seed, Stream.membership, g, this.users.generatedCount, p);
      this.subsets.set(g, subset);
    }
    return subset;
  }

  /** Whether live user u is a member of group g (the caller checks that g exists). */
  isMember(g: number, u: number): boolean {
    if (!this.users.exists(u)) return false;
    if (g === 0) return true;
    const override = this.overlay.get(g)?.get(u);
    if (override !== undefined) return override;
    return this.generated(g).has(u);
  }

  set(g: number, u: number, member: boolean): void {
    let overrides = this.overlay.get(g);
    if (!overrides) {
      overrides = new Map();
      this.overlay.set(g, overrides);
    }
    overrides.set(u, member);
  }

  /** A deleted group loses its overlay (its id never comes back). */
  forget(g: number): void {
    this.overlay.delete(g);
  }

  /** Live members of g with index ≥ start, ascending (id order). */
  *from(g: number, start: number): Generator<number, void, undefined> {
    const users = this.users;
    if (g === 0) {
      for (let u = Math.max(0, start); u < users.size; u++) if (users.exists(u)) yield u;
      return;
    }
    const overrides = this.overlay.get(g);
    const added = overrides
      ? [...overrides]
          .filter(([u, member]) => member && u >= start && !this.generated(g).has(u))
          .map(([u]) => u)
          .sort((a, b) => a - b)
      : [];
    let k = 0;
    for (const u of this.generated(g).from(start)) {
      while (k < added.length && (added[k] ?? 0) < u) {
        const extra = added[k++] ?? 0;
        if (users.exists(extra)) yield extra;
      }
      if (overrides?.get(u) === false || !users.exists(u)) continue;
      yield u;
    }
    while (k < added.length) {
      const extra = added[k++] ?? 0;
      if (users.exists(extra)) yield extra;
    }
  }

  /** Live member count, from the cached generated count plus the overlay and deleted users (no scan). */
  count(g: number): number {
    if (g === 0) return this.users.liveCount;
    const generated = this.generated(g);
    let n = generated.count();
    const overrides = this.overlay.get(g);
    for (const [u, member] of overrides ?? []) {
      const wasCounted = generated.has(u);
      const counts = member && this.users.exists(u);
      n += (counts ? 1 : 0) - (wasCounted ? 1 : 0);
    }
    for (const u of this.users.deletedIndexes()) {
      if (!overrides?.has(u) && generated.has(u)) n--;
    }
    return n;
  }
}
