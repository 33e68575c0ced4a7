import { createRng } from './random.js';

/** Expected members per chunk: small enough that `has` is cheap, large enough that chunk overhead is negligible. */
const MEMBERS_PER_CHUNK = 32;
const MIN_CHUNK = 64;

/**
 * A deterministic pseudo-random subset of the index space [0, size): each index is a member with probability `p`,
 * independently. Unlike a hash test per index, the members can be enumerated in ascending order at a cost
 * proportional to the answer: the space is cut into chunks sized to hold ~32 expected members, and the members of
 * one chunk are drawn by geometric jumps from an RNG seeded by (seed, stream, key, chunk). So "members of group g
 * from user u on" costs O(page + chunks touched), and "is u a member" regenerates one chunk (~32 draws).
 *
 * Listing a group's members therefore no longer scans every user, which is what makes a 1M-user, 10k-group org
 * servable; every answer is still a pure function of (seed, key, index).
 */
export class SparseSubset {
  private readonly chunk: number;
  private readonly logQ: number;
  private cachedChunk = -1;
  private cachedMembers: number[] = [];
  private countCache: number | undefined;

  constructor(
    private readonly seed: number,
    private readonly stream: number,
    private readonly key: number,
    readonly size: number,
    readonly p: number,
  ) {
    const density = Math.min(1, Math.max(0, p));
    this.p = density;
    let chunk = MIN_CHUNK;
    const wanted = density > 0 ? MEMBERS_PER_CHUNK / density : size;
    while (chunk < wanted && chunk < size) chunk *= 2;
    this.chunk = chunk;
    this.logQ = density >= 1 ? Number.NEGATIVE_INFINITY : Math.log1p(-density);
  }

  /** Members of chunk c, ascending (the last chunk looked at is cached: scans test neighbouring indexes). */
  private membersOf(c: number): readonly number[] {
    if (c === this.cachedChunk) return this.cachedMembers;
    const out: number[] = [];
    const start = c * this.chunk;
    const end = Math.min(this.size, start + this.chunk);
    if (this.p >= 1) {
      for (let i = start; i < end; i++) out.push(i);
    } else if (this.p > 0) {
      const rng = createRng(this.seed, this.stream, this.key, c + 1);
      let i = start - 1;
      for (;;) {
        // Geometric gap: the number of non-members before the next member.
        i += 1 + Math.floor(Math.log(1 - rng.next()) / this.logQ);
        if (i >= end) break;
        out.push(i);
      }
    }
    this.cachedChunk = c;
    this.cachedMembers = out;
    return out;
  }

  has(i: number): boolean {
    if (i < 0 || i >= this.size || this.p <= 0) return false;
    const members = this.membersOf(Math.floor(i / this.chunk));
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const value = members[mid] ?? 0;
      if (value < i) lo = mid + 1;
      else hi = mid;
    }
    return members[lo] === i;
  }

  /** Members at or after `start`, ascending. */
  *from(start: number): Generator<number, void, undefined> {
    if (this.p <= 0) return;
    const begin = Math.max(0, start);
    for (let c = Math.floor(begin / this.chunk); c * this.chunk < this.size; c++) {
      // Copy: another caller may move the one-chunk cache while this generator is suspended.
      const members = [...this.membersOf(c)];
      for (const i of members) if (i >= begin) yield i;
    }
  }

  /** Number of members (enumerated once, then cached). */
  count(): number {
    if (this.countCache === undefined) {
      let n = 0;
      const chunks = Math.ceil(this.size / this.chunk);
      for (let c = 0; c < chunks && this.p > 0; c++) n += this.membersOf(c).length;
      this.countCache = n;
    }
    return this.countCache;
  }
}
