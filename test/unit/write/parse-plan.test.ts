/** Plans as files: JSONL and CSV read the same, every problem is named (row, field, reason), the hash is stable. */
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTIONS } from '../../../lambdas/write/actions.js';
import { PlanParseError } from '../../../lambdas/write/errors.js';
import { parsePlan, planFormatOf } from '../../../lambdas/write/parse-plan.js';
import { planHash } from '../../../lambdas/write/plan-hash.js';
import { writeScopesFor } from '../../../lambdas/write/write-scopes.js';

function problems(text: string, format: 'jsonl' | 'csv'): string[] {
  try {
    parsePlan(text, format);
  } catch (error) {
    if (error instanceof PlanParseError) return error.problems.map((p) => `${p.row} ${p.field}: ${p.reason}`);
    throw error;
  }
  return [];
}

describe('parsePlan', () => {
  it('JSONL and CSV of the same actions give the same rows and the same hash', () => {
    const jsonl = [
      '{"action":"deactivate-user","user":"a@example.com"}',
      '',
      '{"action":"add-user-to-group","user":"00u1","group":"Sales, EMEA","app":null}',
      '{"action":"update-user","user":"b@example.com","profile":{"title":"CTO","note":"line\\nbreak"}}',
      '{"action":"suspend-user","user":"c@example.com","allowAdmin":true}',
    ].join('\n');
    const csv = [
      'action,user,group,app,profile,allowAdmin',
      'deactivate-user,a@example.com,,,,',
      'add-user-to-group,00u1,"Sales, EMEA",,,',
      'update-user,b@example.com,,,"{""title"":""CTO"",""note"":""line\\nbreak""}",',
      'suspend-user,c@example.com,,,,TRUE',
    ].join('\r\n');
    const a = parsePlan(jsonl, 'jsonl');
    const b = parsePlan(csv, 'csv');
    expect(b).toEqual(a);
    expect(a.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(a[2]?.profile).toEqual({ title: 'CTO', note: 'line\nbreak' });
    expect(planHash(a)).toBe(planHash(b));
    expect(planHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(planHash(a.slice(1))).not.toBe(planHash(a));
  });

  it('names every bad row, field and reason', () => {
    const text = [
      '{"action":"frobnicate-user","user":"a"}',
      '{"user":"a"}',
      '{"action":"deactivate-user"}',
      '{"action":"deactivate-user","user":"a","group":"g"}',
      '{"action":"create-user","profile":{"login":"x@example.com"}}',
      '{"action":"update-user","user":"a","profile":{}}',
      '{"action":"update-user","user":"a","profile":{"Password":"hunter2"}}',
      '{"action":"suspend-user","user":"a","allowAdmin":"yes"}',
      '{"action":"suspend-user","user":"a","extra":1}',
      'not json',
      '[1]',
    ].join('\n');
    const found = problems(text, 'jsonl');
    expect(found).toEqual([
      expect.stringMatching(/^1 action: unknown action "frobnicate-user" \(one of create-user, /),
      '2 action: required: one of the actions in the README',
      "3 user: required by deactivate-user: the user's id or login",
      '4 group: deactivate-user does not use group: leave it empty',
      '5 profile.email: required (a non-empty string) to create a user',
      '5 profile.firstName: required (a non-empty string) to create a user',
      '5 profile.lastName: required (a non-empty string) to create a user',
      '6 profile: must set at least one attribute',
      '7 profile.Password: credentials are never accepted in a plan',
      '8 allowAdmin: must be true or false',
      '9 (row): unknown column(s) extra',
      '10 (row): line 10 is not JSON',
      '11 (row): line 11 is not a JSON object',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('CSV: header, field counts and quoting are checked', () => {
    expect(problems('user,group\na,b', 'csv')).toEqual([
      expect.stringContaining(
        '0 (header): the CSV header must name the columns action,user,group,app,profile,allowAdmin',
      ),
    ]);
    expect(problems('action,user,colour\nx,y,z', 'csv')).toEqual([expect.stringContaining('unknown: colour')]);
    expect(problems('action,user\nunlock-user,a,b', 'csv')).toEqual(['1 (row): CSV line 2 has 3 fields, the header 2']);
    expect(problems('action,user\nunlock-user,"a', 'csv')).toEqual([
      expect.stringContaining('a quoted field is not closed'),
    ]);
    expect(problems('', 'jsonl')).toEqual(['0 (file): the plan has no rows']);
  });

  it('format from the file name; scopes from the actions', () => {
    expect([planFormatOf('plan.CSV'), planFormatOf('plan.jsonl'), planFormatOf('plan')]).toEqual([
      'csv',
      'jsonl',
      'jsonl',
    ]);
    expect(writeScopesFor(['add-user-to-group', 'activate-app'])).toEqual(['okta.groups.manage', 'okta.apps.manage']);
    expect(writeScopesFor(['deactivate-user'])).toEqual(['okta.users.manage', 'okta.roles.read']);
  });

  it('every action has a documented Okta call', () => {
    expect(ACTION_NAMES).toHaveLength(23);
    for (const name of ACTION_NAMES) expect(ACTIONS[name].okta).toMatch(/^(POST|PUT|DELETE) \/api\/v1\//);
  });
});
