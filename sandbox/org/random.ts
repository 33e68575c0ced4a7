/**
 * Seed-addressed randomness: every generated value is a pure function of (seed, stream, index, …), so any record can
 * be rebuilt on demand without generating the ones before it (the 1M-user org never exists in memory at once).
 */

/** murmur3's 32-bit finalizer: a cheap, well-mixed integer hash. */
export function mix32(value: number): number {
  let a = value | 0;
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  return a >>> 0;
}

/** Folds any finite number (seeds may exceed 32 bits) into 32 bits. */
export function seed32(seed: number): number {
  const whole = Math.trunc(seed);
  return mix32((whole % 0x1_0000_0000) ^ Math.trunc(whole / 0x1_0000_0000));
}

export function hash(seed: number, stream: number, index: number, salt = 0): number {
  return mix32(mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ stream) ^ index) ^ salt);
}

/** A uniform number in [0, 1) addressed by (seed, stream, index, salt). */
export function unit(seed: number, stream: number, index: number, salt = 0): number {
  return hash(seed, stream, index, salt) / 0x1_0000_0000;
}

/** A small sequential generator (mulberry32) for building one record's many fields. */
export interface Rng {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32 as a class: one allocation per record, no per-call closures. */
class Mulberry32 implements Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick() needs a non-empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export function createRng(seed: number, stream: number, index: number, salt = 0): Rng {
  return new Mulberry32(hash(seed, stream, index, salt));
}

/** Streams keep the values of different objects and fields independent of each other. */
export const Stream = {
  userId: 1,
  userStatus: 2,
  userCreated: 3,
  userUpdated: 4,
  userType: 5,
  userRecord: 6,
  userTransition: 7,
  groupId: 10,
  groupRecord: 11,
  membership: 12,
  appId: 20,
  appRecord: 21,
  appUser: 22,
  appGroup: 23,
  deviceId: 30,
  deviceStatus: 31,
  deviceCreated: 32,
  deviceUpdated: 33,
  deviceRecord: 34,
  deviceOwner: 35,
  userTypeId: 40,
  schemaId: 41,
  log: 50,
  logHistory: 51,
  logGhost: 52,
  errorId: 60,
  roles: 70,
  roleId: 71,
  factors: 72,
  factorId: 73,
} as const;
