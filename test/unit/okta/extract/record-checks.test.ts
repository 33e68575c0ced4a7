/**
 * What `extract` refuses or drops before a record can reach the output: duplicates (dropped and counted), content
 * loops, records without their key, and (in a bounded scan) records whose bounding time is not an instant. Also the
 * key set that carries "already read" across invocations.
 */
import { describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { OktaPaginationError, OktaRecordError } from '../../../../lambdas/okta/errors.js';
import { type ExtractPage, extract } from '../../../../lambdas/okta/extract/index.js';
import { KeySet } from '../../../../lambdas/okta/extract/key-set.js';
import { planQuery } from '../../../../lambdas/okta/query/plan.js';
import type { OktaApi, OktaPage, OktaRecord } from '../../../../lambdas/okta/types.js';

const users = getObjectDef('User');
const ORIGIN = 'https://acme.okta.com';

const user = (id: string, lastUpdated: unknown = '2024-02-01T00:00:00.000Z'): OktaRecord => ({
  id,
  status: 'ACTIVE',
  created: '2024-01-01T00:00:00.000Z',
  lastUpdated,
  profile: { login: `${id}@example.com` },
});

/** An API whose listing is exactly these pages (each with a fresh cursor), whatever was asked. */
function scripted(pages: readonly (readonly OktaRecord[])[]): OktaApi {
  return {
    origin: ORIGIN,
    getJson: async () => {
      throw new Error('not used');
    },
    async *paginate<T>(): AsyncGenerator<OktaPage<T>> {
      for (let i = 0; i < pages.length; i++) {
        const next = i + 1 < pages.length ? `${ORIGIN}/api/v1/users?limit=200&after=c${i + 1}` : null;
        yield { items: (pages[i] ?? []) as unknown as T[], nextUrl: next, url: `${ORIGIN}/api/v1/users?after=c${i}` };
      }
    },
  };
}

async function run(
  pages: readonly (readonly OktaRecord[])[],
  request: Parameters<typeof extract>[1] = {},
  seen?: KeySet,
): Promise<ExtractPage[]> {
  const out: ExtractPage[] = [];
  for await (const page of extract(users, request, {
    api: scripted(pages),
    plan: planQuery,
    ...(seen ? { seen } : {}),
  }))
    out.push(page);
  return out;
}

describe('duplicates', () => {
  it('a record repeated on the next page is written once and counted as a duplicate', async () => {
    const pages = await run([
      [user('u1'), user('u2'), user('u3')],
      [user('u3'), user('u4')],
    ]);
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(pages.map((p) => p.duplicates)).toEqual([0, 1]);
    expect(pages.at(-1)?.totals).toMatchObject({ scanned: 5, records: 4, duplicates: 1 });
  });

  it('keys read by an earlier invocation (a loaded key set) are duplicates too', async () => {
    const earlier = new KeySet();
    earlier.add('u1');
    const carried = new KeySet();
    carried.loadBytes(earlier.takeAdded());
    const pages = await run([[user('u1'), user('u2')]], {}, carried);
    expect(pages[0]?.records.map((r) => r.id)).toEqual(['u2']);
    expect(pages[0]?.duplicates).toBe(1);
  });

  it('a page of records already read, under a fresh cursor, is a content loop', async () => {
    const error = await run([
      [user('u1'), user('u2')],
      [user('u1'), user('u2')],
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaPaginationError);
    expect((error as OktaPaginationError).reason).toBe('content-loop');
  });
});

describe('keys and cursors are validated before the residual', () => {
  it('a record without an id fails the scan, naming the object', async () => {
    const error = await run([[user('u1'), { ...user('x'), id: undefined }]]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OktaRecordError);
    expect((error as Error).message).toMatch(/A User record from Okta \(no id\) has no usable primary key \(id\)/);
  });

  it.each([['2024-02-01 00:00:00'], ['1706745600'], [1706745600000], [null]])(
    'an incremental scan refuses lastUpdated = %j, naming the record and the value',
    async (value) => {
      const window = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' };
      const error = await run([[user('u1'), user('u2', value)]], { window }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OktaRecordError);
      expect((error as OktaRecordError).recordId).toBe('u2');
      expect((error as Error).message).toContain('lastUpdated');
      expect((error as Error).message).toContain(JSON.stringify(value));
    },
  );

  it('a full (unbounded) scan does not need lastUpdated to be an instant', async () => {
    const pages = await run([[user('u1', 'garbage')]]);
    expect(pages[0]?.records).toHaveLength(1);
  });
});

describe('KeySet', () => {
  it('adds, finds, grows and hands over exactly the keys added since the last checkpoint', () => {
    const set = new KeySet(16);
    for (let i = 0; i < 10_000; i++) expect(set.add(`00u${i}`)).toBe(true);
    expect(set.add('00u5')).toBe(false);
    expect(set.size).toBe(10_000);
    expect(set.has('00u9999')).toBe(true);
    expect(set.has('00u10000')).toBe(false);
    const first = set.takeAdded();
    expect(first.byteLength).toBe(80_000);
    set.add('00u10000');
    expect(set.takeAdded().byteLength).toBe(8);
    const reloaded = new KeySet();
    expect(reloaded.loadBytes(first)).toBe(10_000);
    expect(reloaded.has('00u1234')).toBe(true);
    expect(reloaded.has('00u10000')).toBe(false);
    expect(reloaded.takeAdded().byteLength).toBe(0);
    // At most half full, 8 bytes a slot: ≤ 32 bytes per key in memory.
    expect(set.bytesInMemory / set.size).toBeLessThanOrEqual(32 + 1);
  });

  it('refuses a checkpoint that is not whole 8-byte hashes', () => {
    expect(() => new KeySet().loadBytes(new Uint8Array(12))).toThrow(/multiple of 8 bytes/);
  });
});
