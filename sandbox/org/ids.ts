import { hash } from './random.js';

/** Base62 digits in ASCII order, so string order of equal-length ids equals numeric order of their indexes. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const INDEX_DIGITS = 9;
const TAG_DIGITS = 8;

function base62(value: number, digits: number): string {
  let out = '';
  let rest = value;
  for (let d = 0; d < digits; d++) {
    out = ALPHABET.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * Okta-looking 20-character ids (`00u` + 8-char org tag + 9-char base62 index). Because every id of one object shares
 * the same head and the index is fixed-width base62, `id order == index order`: `after=<id>` resolves to a position
 * with one decode, and any other cursor string with a binary search.
 */
export class IdSpace {
  readonly head: string;

  constructor(
    readonly prefix: string,
    seed: number,
    stream: number,
  ) {
    this.head = prefix + base62(hash(seed, stream, 0) * 62 ** 2 + (hash(seed, stream, 1) % 62 ** 2), TAG_DIGITS);
  }

  idOf(index: number): string {
    return this.head + base62(index, INDEX_DIGITS);
  }

  /** The index an id encodes, or undefined when the string is not one of this space's ids. */
  indexOf(id: string): number | undefined {
    if (id.length !== this.head.length + INDEX_DIGITS || !id.startsWith(this.head)) return undefined;
    let value = 0;
    for (let i = this.head.length; i < id.length; i++) {
      const digit = ALPHABET.indexOf(id.charAt(i));
      if (digit < 0) return undefined;
      value = value * 62 + digit;
    }
    return value;
  }

  /** The first index in [0, size) whose id sorts after `cursor` (size when none does). */
  positionAfter(cursor: string, size: number): number {
    const exact = this.indexOf(cursor);
    if (exact !== undefined) return Math.min(exact + 1, size);
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.idOf(mid) <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
