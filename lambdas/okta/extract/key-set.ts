/**
 * The primary keys a scan has read, kept as 64-bit hashes so memory stays bounded at any org size: a set of strings
 * would cost ~100 bytes per 20-character Okta id, this costs 16–32 (an open-addressing table of 8-byte slots, at most
 * half full) and its checkpoint 8 bytes per id: 8 MB per million ids on disk, 16–32 MB in memory.
 *
 * Hash: the first 64 bits of SHA-256 (node:crypto, no dependency). A cryptographic hash makes the chance that two
 * distinct ids collide exactly the birthday bound, n² / 2⁶⁵: 2.7 × 10⁻⁸ for a million ids in one task, 2.7 × 10⁻⁶
 * for ten million. A collision would drop a real record as a duplicate, and it would show: every dropped record is
 * counted (RunCounts.duplicates) and reported. Cost ≈ 1–2 µs per id.
 *
 * `takeAdded()` hands out the hashes added since the last call (8 bytes each, big-endian high word first), which is
 * what an invocation checkpoints; `loadBytes()` reads such checkpoints back (added, not tracked as new).
 */
import { hash } from 'node:crypto';

const EMPTY_HI = 0;
const EMPTY_LO = 0;

export class KeySet {
  #table: Uint32Array;
  #mask: number;
  #size = 0;
  #added: Uint32Array = new Uint32Array(512);
  #addedCount = 0;

  constructor(initialSlots = 1024) {
    let slots = 16;
    while (slots < initialSlots) slots *= 2;
    this.#table = new Uint32Array(slots * 2);
    this.#mask = slots - 1;
  }

  /** The 64-bit hash of a key as two unsigned 32-bit words; never (0, 0), which marks an empty slot. */
  static digest(key: string): [number, number] {
    const bytes = hash('sha256', key, 'buffer');
    const hi = bytes.readUInt32BE(0);
    const lo = bytes.readUInt32BE(4);
    return hi === EMPTY_HI && lo === EMPTY_LO ? [0, 1] : [hi, lo];
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table (what a task's key set costs in memory). */
  get bytesInMemory(): number {
    return this.#table.byteLength + this.#added.byteLength;
  }

  /** Adds a key; false when it was already there (a duplicate). */
  add(key: string): boolean {
    const [hi, lo] = KeySet.digest(key);
    const added = this.#insert(hi, lo);
    if (added) this.#track(hi, lo);
    return added;
  }

  has(key: string): boolean {
    const [hi, lo] = KeySet.digest(key);
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.#mask;
    for (;;) {
      const h = this.#table[i * 2] ?? 0;
      const l = this.#table[i * 2 + 1] ?? 0;
      if (h === EMPTY_HI && l === EMPTY_LO) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & this.#mask;
    }
  }

  /** Adds the hashes of a checkpoint (`takeAdded()` output of earlier invocations); returns how many were new. */
  loadBytes(bytes: Uint8Array): number {
    if (bytes.byteLength % 8 !== 0)
      throw new RangeError(`a key-set checkpoint is a multiple of 8 bytes, got ${bytes.byteLength}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let fresh = 0;
    for (let at = 0; at < bytes.byteLength; at += 8) {
      if (this.#insert(view.getUint32(at), view.getUint32(at + 4))) fresh++;
    }
    return fresh;
  }

  /** The hashes added (by `add`) since the last call, 8 bytes each; resets the list. */
  takeAdded(): Uint8Array {
    const out = new Uint8Array(this.#addedCount * 8);
    const view = new DataView(out.buffer);
    for (let k = 0; k < this.#addedCount; k++) {
      view.setUint32(k * 8, this.#added[k * 2] ?? 0);
      view.setUint32(k * 8 + 4, this.#added[k * 2 + 1] ?? 0);
    }
    this.#addedCount = 0;
    this.#added = new Uint32Array(512);
    return out;
  }

  #insert(hi: number, lo: number): boolean {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.#mask;
    for (;;) {
      const h = this.#table[i * 2] ?? 0;
      const l = this.#table[i * 2 + 1] ?? 0;
      if (h === EMPTY_HI && l === EMPTY_LO) break;
      if (h === hi && l === lo) return false;
      i = (i + 1) & this.#mask;
    }
    this.#table[i * 2] = hi;
    this.#table[i * 2 + 1] = lo;
    this.#size++;
    if (this.#size * 2 > this.#mask + 1) this.#grow();
    return true;
  }

  #grow(): void {
    const old = this.#table;
    this.#table = new Uint32Array(old.length * 2);
    this.#mask = old.length - 1; // slots double: old.length / 2 slots → old.length slots
    this.#size = 0;
    for (let s = 0; s < old.length; s += 2) {
      const hi = old[s] ?? 0;
      const lo = old[s + 1] ?? 0;
      if (hi !== EMPTY_HI || lo !== EMPTY_LO) this.#insert(hi, lo);
    }
  }

  #track(hi: number, lo: number): void {
    if (this.#addedCount * 2 >= this.#added.length) {
      const bigger = new Uint32Array(this.#added.length * 2);
      bigger.set(this.#added);
      this.#added = bigger;
    }
    this.#added[this.#addedCount * 2] = hi;
    this.#added[this.#addedCount * 2 + 1] = lo;
    this.#addedCount++;
  }
}
