/**
 * `npm start`: the whole product in under a minute with no Okta account and no AWS: starts a sandbox org (20k users),
 * runs every example flow end to end into ./okta-flow-output/ (Parquet, manifests, state), changes the org
 * (new, updated, deactivated and deleted records), runs the incremental flows again to show they pick up only the
 * changes and the deletes, then prints the summary and where the files are.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../lambdas/flow/config/load-config.js';
import { startSandbox } from '../sandbox/index.js';
import { DEFAULT_OUT, EXAMPLE_CONFIG, runCommand } from './commands/run.js';

const DEMO_USERS = 20_000;
const out = resolve(DEFAULT_OUT);
const say = (line: string) => process.stdout.write(`${line}\n`);

// The sandbox is a new org each time: state from an earlier demo would not describe it.
rmSync(resolve(out, '_state'), { recursive: true, force: true });
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
  say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Files: ${out}`);
  say('Each run folder has part files and a _manifest.json (written last); state is in _state/.');
  say('Next: `npm run okta-flow -- describe User`, `npm run okta-flow -- run users-hourly --sandbox`.');
} finally {
  await sandbox.close();
}
process.exitCode = ok ? 0 : 1;
