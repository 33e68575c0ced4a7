/**
 * The README's "Plans from the lake" examples, run as written against the sandbox so the section cannot drift: each
 * `okta-flow query --json "<SQL>" > <plan>.jsonl` of the block is taken from README.md itself, run over a lake the
 * sandbox filled (users, user roles, user factors, app assignments — the tables the examples name), and its plan is
 * applied: the dry run changes nothing, the execution applies every row, the audit records an intent and a
 * successful outcome for each, and running it again changes nothing. Every `okta-flow apply <plan>` line of the block
 * names a plan one of its queries wrote.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../../bin/commands/apply.js';
import { queryCommand } from '../../../bin/commands/query.js';
import { runCommand } from '../../../bin/commands/run.js';
import { parseAudit } from '../../../lambdas/write/audit.js';
import { exampleConfigJson } from '../../infra/synthesize.js';
import { startWriteHarness, type WriteHarness } from './harness.js';

interface Example {
  readonly sql: string;
  readonly plan: string;
}

/** The bash block of README's "### Plans from the lake": its queries and the plans its apply lines name. */
function readmeExamples(): { examples: Example[]; applied: string[] } {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Plans from the lake'));
  const block = section.slice(section.indexOf('```bash'), section.indexOf('```\n', section.indexOf('```bash') + 7));
  const examples = [...block.matchAll(/okta-flow query --json "((?:[^"\\]|\\.)*)" > (\S+\.jsonl)/g)].map((m) => ({
    sql: String(m[1]).replaceAll('\\"', '"'),
    plan: String(m[2]),
  }));
  const applied = [...block.matchAll(/^okta-flow apply (\S+)/gm)].map((m) => String(m[1]));
  return { examples, applied };
}

const { examples, applied } = readmeExamples();
let h: WriteHarness;
let config: string;
let lake: string;

const FLOWS = [
  { name: 'users', object: 'User', mode: 'full' },
  { name: 'user-roles', object: 'UserRole', mode: 'full' },
  { name: 'user-factors', object: 'UserFactor', mode: 'full', perUserRequests: true },
  { name: 'app-users', object: 'ApplicationUser', mode: 'full' },
];

/** The lake as the org is now (each example sees the effects of the ones before it, as a user's next run would). */
async function refreshLake(): Promise<void> {
  await runCommand({
    flows: FLOWS.map((f) => f.name),
    config,
    sandboxInstance: h.sandbox,
    out: lake,
    full: true,
    progress: false,
    print: () => undefined,
  });
}

beforeAll(async () => {
  h = await startWriteHarness({ clock: { running: true } });
  lake = join(h.dir, 'lake');
  config = join(h.dir, 'okta-flow.config.json');
  const base = exampleConfigJson();
  writeFileSync(config, JSON.stringify({ ...base, flows: FLOWS }, null, 2));
}, 60_000);
afterAll(() => h?.close());

describe('README: plans from the lake', () => {
  it('the block has the four examples, and every apply line names a plan a query wrote', () => {
    expect(examples.map((e) => e.plan)).toEqual([
      'stale.jsonl',
      'contractors.jsonl',
      'mfa-reset.jsonl',
      'leavers.jsonl',
    ]);
    for (const plan of applied) expect(examples.map((e) => e.plan)).toContain(plan);
  });

  it.each(examples.map((e) => [e.plan, e] as const))(
    '%s: query → dry run (nothing changes) → execute (audited) → again (nothing to do)',
    async (_name, example) => {
      await refreshLake();
      const lines: string[] = [];
      await queryCommand({ sql: example.sql, out: lake, config, json: true, print: (l) => lines.push(l) });
      expect(lines.length, example.sql).toBeGreaterThan(0);
      const planFile = join(h.dir, example.plan);
      writeFileSync(planFile, `${lines.join('\n')}\n`);
      const apply = (execute: boolean) =>
        applyCommand({ plan: planFile, execute, sandboxInstance: h.sandbox, out: h.dir, print: () => undefined });

      const before = h.fingerprint();
      const dry = await apply(false);
      expect(h.fingerprint()).toBe(before);
      expect(dry.resolution.counts).toEqual({ willChange: lines.length, alreadySo: 0, invalid: 0 });

      const executed = await apply(true);
      const results = executed.execution?.results ?? [];
      expect(results.map((r) => r.result)).toEqual(lines.map(() => 'succeeded'));
      const audit = parseAudit(readFileSync(String(executed.auditLocation), 'utf8'));
      expect(audit.map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual(
        lines.flatMap((_, i) => [`${i + 1} intent pending`, `${i + 1} outcome succeeded`]),
      );
      const rows = lines.map((l) => JSON.parse(l) as { user: string });
      expect(audit.filter((r) => r.phase === 'outcome').map((r) => r.target.user?.id)).toEqual(rows.map((r) => r.user));
      expect(audit.every((r) => r.phase === 'intent' || (r.requestId ?? '').length > 0)).toBe(true);

      const again = await apply(true);
      expect(again.resolution.counts).toEqual({ willChange: 0, alreadySo: lines.length, invalid: 0 });
      expect(again.execution?.results).toEqual([]);
    },
    120_000,
  );
});
