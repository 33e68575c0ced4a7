/**
 * README's "The actions and their Okta calls" table against the catalog of actions (lambdas/write/actions.ts):
 * one row per action, in the same order, with the same columns and the same Okta method and path — so the README
 * documents every action and its Okta call, and cannot drift from what `apply` sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTIONS } from '../../../lambdas/write/actions.js';

function readmeRows(): { action: string; columns: string; call: string }[] {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The actions and their Okta calls'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Action |')));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split(' | ');
      return {
        action: String(cells[0]).replace(/^\| `|`$/g, ''),
        columns: String(cells[1]),
        call: String(cells[2]).replace(/^`|`$/g, ''),
      };
    });
}

const methodAndPath = (call: string) => call.split(' ').slice(0, 2).join(' ');

describe('README: the actions and their Okta calls', () => {
  const rows = readmeRows();

  it('one row per action, in catalog order', () => {
    expect(rows.map((r) => r.action)).toEqual([...ACTION_NAMES]);
  });

  it('each row names the Okta method and path the action calls, and its target columns', () => {
    for (const row of rows) {
      const def = ACTIONS[row.action as keyof typeof ACTIONS];
      expect(methodAndPath(row.call), row.action).toBe(methodAndPath(def.okta));
      for (const target of def.targets) expect(row.columns, row.action).toContain(target);
      if (def.profile !== 'none') expect(row.columns, row.action).toContain('profile');
    }
  });
});
