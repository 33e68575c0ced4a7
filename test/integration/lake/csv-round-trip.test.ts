/**
 * CSV reads back exactly: values with backslashes, quotes, commas, embedded line breaks (LF and CRLF), non-ASCII
 * text, empty strings against nulls, and JSON columns, written by a CSV flow and read through `okta-flow query`
 * (RFC 4180, which is also why CSV output gets no Glue tables: Athena's OpenCSVSerDe drops backslashes and splits
 * rows at line breaks inside quotes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const HOSTILE: Record<string, string> = {
  title: 'CORP\\Finance-Team-2',
  department: 'R&D, "Quoted" \\ back\\\\slashes',
  displayName: 'two\nlines and\r\nCRLF',
  city: 'Zürich — 東京',
  nickName: '',
  division: '\\',
  organization: '"',
  githubHandle: '{"looks":"like json"}',
};

let sandbox: Sandbox;
let h: Harness;
let victim: string;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 40 });
  victim = String([...sandbox.org.all('users')][7]?.id);
  sandbox.admin.updateUser(victim, HOSTILE);
  sandbox.clock.advance(1000);
  const flow = {
    name: 'users-csv',
    object: 'User',
    mode: 'full',
    fields: [
      'id',
      'title',
      'department',
      'display_name',
      'city',
      'nickname',
      'division',
      'organization',
      'profile.githubHandle',
      'type',
      'links',
    ],
  };
  h = harness(sandbox, testConfig([flow], { format: 'csv', compression: 'none' }));
  await runFlow('users-csv', { kind: 'manual' }, h.deps());
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('CSV round trip', () => {
  it('gives back every hostile value exactly, one row per record', async () => {
    const rows = await query(
      `SELECT id, title, department, display_name, city, nickname, division, organization, profile_github_handle FROM users WHERE id = '${victim}'`,
    );
    expect(rows).toEqual([
      {
        id: victim,
        title: HOSTILE.title,
        department: HOSTILE.department,
        display_name: HOSTILE.displayName,
        city: HOSTILE.city,
        nickname: '',
        division: HOSTILE.division,
        organization: HOSTILE.organization,
        profile_github_handle: HOSTILE.githubHandle,
      },
    ]);
    expect((await query('SELECT count(*) AS n FROM users'))[0]?.n).toBe([...sandbox.org.all('users')].length);
  });

  it('keeps null apart from the empty string, and JSON columns as the JSON Okta sent', async () => {
    const user = [...sandbox.org.all('users')].find((u) => String(u.id) === victim) ?? {};
    const [row] = await query(`SELECT type, links, nickname FROM users WHERE id = '${victim}'`);
    expect(JSON.parse(String(row?.type))).toEqual(user.type);
    // The org's truth has the server's `{{origin}}` placeholder where the API answered with its origin.
    const served = JSON.parse(JSON.stringify(user._links).replaceAll('{{origin}}', sandbox.baseUrl));
    expect(JSON.parse(String(row?.links))).toEqual(served);
    expect(row?.nickname).toBe('');
    const nulls = await query(`SELECT count(*) AS n FROM users WHERE nickname IS NULL`);
    const truthNulls = [...sandbox.org.all('users')].filter((u) => {
      const nick = (u.profile as Record<string, unknown>).nickName;
      return nick === undefined || nick === null;
    }).length;
    expect(nulls[0]?.n).toBe(truthNulls);
  });
});
