/**
 * The README's round trip, through the commands: `okta-flow run` fills the lake from the sandbox, `okta-flow query
 * --json` selects the users to act on as a plan, and `okta-flow apply` shows it (dry run), executes it, and says
 * so when run again. The dry-run table and --json are what people and tools read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyCommandError, applyCommand } from '../../../bin/commands/apply.js';
import { queryCommand } from '../../../bin/commands/query.js';
import { runCommand } from '../../../bin/commands/run.js';
import { parseAudit } from '../../../lambdas/write/audit.js';
import { type Rec, startWriteHarness, type WriteHarness } from './harness.js';

let h: WriteHarness;
let out: string;
let planFile: string;
let lines: string[];

beforeAll(async () => {
  h = await startWriteHarness({ clock: { running: true } });
  out = join(h.dir, 'lake');
  await runCommand({
    flows: ['users-hourly'],
    sandboxInstance: h.sandbox,
    out,
    progress: false,
    print: () => undefined,
  });
  lines = [];
  await queryCommand({
    sql:
      'SELECT \'suspend-user\' AS action, id AS "user" FROM users_current ' +
      "WHERE status = 'ACTIVE' AND (last_login IS NULL OR last_login < TIMESTAMP '2025-06-01') " +
      'ORDER BY id DESC LIMIT 5',
    out,
    json: true,
    print: (l) => lines.push(l),
  });
  planFile = join(h.dir, 'stale-users.jsonl');
  writeFileSync(planFile, `${lines.join('\n')}\n`);
}, 120_000);
afterAll(() => h?.close());

const apply = async (extra: { execute?: boolean; json?: boolean } = {}) => {
  const printed: string[] = [];
  const result = await applyCommand({
    plan: planFile,
    sandboxInstance: h.sandbox,
    out,
    print: (l) => printed.push(l),
    ...extra,
  });
  return { result, text: printed.join('\n') };
};

describe('query → plan → apply', () => {
  it('query --json writes a valid plan', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(Object.keys(JSON.parse(line) as Rec)).toEqual(['action', 'user']);
  });

  it('dry run: a table of what will change, nothing written', async () => {
    const before = h.fingerprint();
    const { result, text } = await apply();
    expect(result.resolution.counts).toEqual({ willChange: lines.length, alreadySo: 0, invalid: 0 });
    expect(text).toContain('status=ACTIVE → status=SUSPENDED');
    expect(text).toContain('Dry run: nothing was written. Run again with --execute');
    expect(h.fingerprint()).toBe(before);
  });

  it('--execute applies it and prints where the audit is; again, nothing to do', async () => {
    const { result, text } = await apply({ execute: true });
    expect(text).toContain(`Executed: ${lines.length} of ${lines.length} succeeded.`);
    const audit = parseAudit(readFileSync(String(result.auditLocation), 'utf8'));
    expect(audit.filter((r) => r.phase === 'outcome' && r.result === 'succeeded')).toHaveLength(lines.length);
    for (const line of lines) {
      const { user } = JSON.parse(line) as { user: string };
      expect((await h.get<Rec>(`/api/v1/users/${encodeURIComponent(user)}`)).status).toBe('SUSPENDED');
    }
    const again = await apply({ execute: true, json: true });
    const printed = JSON.parse(again.text) as { counts: Rec; execution: { results: unknown[] } };
    expect(printed.counts).toEqual({ willChange: 0, alreadySo: lines.length, invalid: 0 });
    expect(printed.execution.results).toEqual([]);
  });

  it('a bad row: the table shows every row, the error names the bad one, nothing is written', async () => {
    const bad = join(h.dir, 'bad.jsonl');
    writeFileSync(bad, `${lines[0]}\n{"action":"suspend-user","user":"nobody@example.com"}\n`);
    const printed: string[] = [];
    const before = h.fingerprint();
    const error = await applyCommand({
      plan: bad,
      sandboxInstance: h.sandbox,
      out,
      execute: true,
      print: (l) => printed.push(l),
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplyCommandError);
    expect((error as Error).message).toContain('row 2, user: no user with id or login "nobody@example.com"');
    expect(printed.join('\n')).toMatch(/1\s+suspend-user .* already-so/);
    expect(h.fingerprint()).toBe(before);
  });
});
