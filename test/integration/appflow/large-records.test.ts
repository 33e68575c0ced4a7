/**
 * AppFlow's 6 MB response limit against the sandbox: users made huge through admin mutations (1 MB titles) come back
 * in responses under 5 MB, the split Okta page resumed from nextToken, no record lost or repeated.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../lambdas/appflow/index.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { connect, queryRequest, startOrg, truth } from './harness.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startOrg({ users: 40 });
  const huge = 't'.repeat(1024 * 1024);
  for (const user of truth(sandbox, 'users').slice(0, 10)) sandbox.admin.updateUser(String(user.id), { title: huge });
});
afterAll(async () => {
  await sandbox?.close();
});

it('pages of huge users stay under 5 MB and together hold every user once', async () => {
  const connection = connect(sandbox);
  const sizes: number[] = [];
  const ids: string[] = [];
  let hugeSeen = 0;
  let nextToken: string | null = null;
  do {
    const res = await connection.call(
      queryRequest(connection, 'User', { selectedFieldNames: ['id', 'title', 'profile'] }, nextToken),
    );
    expect(res.errorDetails).toBeNull();
    sizes.push(Buffer.byteLength(JSON.stringify(res), 'utf8'));
    for (const text of res.records as string[]) {
      const record = JSON.parse(text) as { id: string; title: unknown };
      ids.push(record.id);
      if (typeof record.title === 'string' && record.title.length === 1024 * 1024) hugeSeen++;
    }
    nextToken = res.nextToken as string | null;
  } while (nextToken !== null && sizes.length < 50);
  // Each huge user is ~2 MB here (title twice: as a field and inside profile): 10 of them need ≥ 4 responses.
  expect(sizes.length).toBeGreaterThanOrEqual(4);
  for (const size of sizes) expect(size).toBeLessThanOrEqual(DEFAULT_LIMITS.maxResponseBytes);
  expect(hugeSeen).toBe(10);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(
    truth(sandbox, 'users')
      .map((u) => String(u.id))
      .sort(),
  );
});
