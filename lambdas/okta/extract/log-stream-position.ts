/**
 * Where a System Log stream stands after a committed run, kept in the flow state: the `next` link the next run starts
 * from, and the tail (the uuids of the last page read, as 64-bit digests, base64: ≤ 8 KB for a 1000-event page) so
 * events a re-read returns again are dropped by uuid. Small and JSON: it travels in the task continuation and the
 * commit record.
 */
import { z } from 'zod';
import { KeySet } from './key-set.js';

export const streamPositionSchema = z.object({
  /** Okta's `next` link (path + query on the org), exactly as Okta sent it. */
  cursor: z.string().startsWith('/'),
  /** base64 of 8-byte digests (KeySet.digest) of the uuids of the last page read. */
  tail: z.string(),
});

export type StreamPosition = z.infer<typeof streamPositionSchema>;

/** The tail as stored: base64 of the 8-byte digests of the uuids. */
export function encodeTail(uuids: readonly string[]): string {
  const bytes = Buffer.alloc(uuids.length * 8);
  uuids.forEach((uuid, i) => {
    const [hi, lo] = KeySet.digest(uuid);
    bytes.writeUInt32BE(hi, i * 8);
    bytes.writeUInt32BE(lo, i * 8 + 4);
  });
  return bytes.toString('base64');
}

/** Adds a stored tail to a dedupe set (as already known, not as new keys of this invocation). */
export function seedTail(seen: KeySet, tail: string): number {
  const bytes = Buffer.from(tail, 'base64');
  if (bytes.length % 8 !== 0) return 0;
  return seen.loadBytes(bytes);
}
