/**
 * `npm start`: the whole product in under a minute with no Okta account and no AWS: starts a sandbox org (20k users),
 * runs every example flow end to end into ./okta-flow-demo/ (Parquet, commit records, state), changes the org
 * (new, updated, deactivated and deleted records), runs the incremental flows again to show they pick up only the
 * changes and the deletes, then queries the result with `okta-flow query` and prints where the files are.
 *
 * The demo's folder is FRESH each time: the sandbox is a new org each run, and two demos' runs in one lake would be
 * two orgs' histories (the current-state views would merge them). Nothing else writes ./okta-flow-demo/.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../lambdas/flow/config/load-config.js';
import { startSandbox } from '../sandbox/index.js';
import { queryCommand } from './commands/query.js';
import { EXAMPLE_CONFIG, runCommand } from './commands/run.js';

const DEMO_USERS = 20_000;
export const DEMO_OUT = 'okta-flow-demo';
const out = resolve(DEMO_OUT);
const say = (line: string) => process.stdout.write(`${line}\n`);

rmSync(out, { recursive: true, force: true });
const started = Date.now();
say(`okta-flow demo: starting a sandbox Okta org with ${DEMO_USERS.toLocaleString('en-US')} users…`);
const sandbox = await startSandbox({
  users: DEMO_USERS,
  // Okta's documented limits ×10, so the demo is quick yet still paced by the rate-limit governor.
  rateLimits: { limits: { users: 6000, groups: 6000, apps: 1000, devices: 1500, logs: 500, api: 6000 } },
});
let ok = true;
try {
  const flows = loadConfig(EXAMPLE_CONFIG).flows.map((f) => f.name);
  say(`\n1) First run of every example flow (${flows.join(', ')})`);
  const first = await runCommand({ flows, config: EXAMPLE_CONFIG, out, sandboxInstance: sandbox, print: say });
  ok &&= first.ok;

  say('\n2) Changing the org: 25 new users, 40 updated, 10 deactivated, 2 groups and 5 devices deleted');
  const admin = sandbox.admin;
  for (let i = 0; i < 25; i++) {
    admin.createUser({
      profile: {
        login: `demo.user${i}@example.com`,
        email: `demo.user${i}@example.com`,
        firstName: 'Demo',
        lastName: `User${i}`,
      },
    });
  }
  const active = [...sandbox.org.all('users')].filter((u) => u.status === 'ACTIVE').slice(100, 150);
  for (const user of active.slice(0, 40)) admin.updateUser(String(user.id), { title: 'Demo title' });
  for (const user of active.slice(40, 50)) admin.userLifecycle(String(user.id), 'deactivate');
  const groups = [...sandbox.org.all('groups')].filter((g) => g.type === 'OKTA_GROUP').slice(0, 2);
  for (const group of groups) admin.deleteGroup(String(group.id));
  const devices = [...sandbox.org.all('devices')].filter((d) => d.status === 'ACTIVE').slice(0, 5);
  for (const device of devices) {
    admin.deviceLifecycle(String(device.id), 'deactivate');
    admin.deleteDevice(String(device.id));
  }

  say('\n3) Second runs: incremental flows copy only the changes; deletes become tombstones (System Log for devices,');
  say('   snapshot diff for the full groups flow)');
  const second = await runCommand({
    flows: ['users-hourly', 'devices-6h', 'groups-daily'],
    config: EXAMPLE_CONFIG,
    out,
    sandboxInstance: sandbox,
    print: say,
  });
  ok &&= second.ok;

  const queries = [
    'SELECT status, count(*) AS users FROM users_current GROUP BY status ORDER BY users DESC',
    'SELECT id, deleted_at, source FROM group_deletes',
    'SELECT run_id, count(*) AS versions FROM users GROUP BY run_id ORDER BY run_id',
  ];
  say('\n4) The lake, as Athena sees it, queried locally (`okta-flow query`):');
  for (const sql of queries) {
    say(`\n$ npm run okta-flow -- query "${sql}" --out ${DEMO_OUT}`);
    await queryCommand({ sql, out, config: EXAMPLE_CONFIG, print: say });
  }
  say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Files: ${out} (fresh each \`npm start\`)`);
  say('Each run writes part files under <object>/dt=…/run_id=…/ and ONE commit record, last, under okta/_commits/;');
  say('state (watermarks, leases, snapshots, resolved schemas) is under okta/_state/.');
  say('Next: `npm run okta-flow -- describe User --sandbox`, `npm run okta-flow -- run users-hourly --sandbox`.');
} finally {
  await sandbox.close();
}
process.exitCode = ok ? 0 : 1;
