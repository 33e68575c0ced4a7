/** bin/app.ts as `cdk synth` runs it: a bad config fails synth with the ConfigError message and nothing else. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleConfigJson } from './synthesize.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

describe('bin/app.ts', () => {
  it('fails synth with the ConfigError message when the config is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-app-'));
    const file = join(dir, 'bad.config.json');
    const example = exampleConfigJson() as { flows: { schedule?: unknown }[] };
    const flows = example.flows.map((f, i) => (i === 0 ? { ...f, schedule: { expression: 'every hour' } } : f));
    writeFileSync(file, JSON.stringify({ ...example, flows }));
    // cdk passes context to the app through CDK_CONTEXT_JSON and the output directory through CDK_OUTDIR.
    const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ 'okta-flow:config': file }), CDK_OUTDIR: dir };
    const run = promisify(execFile)(TSX, ['bin/app.ts'], { cwd: ROOT, env });
    const failure = await run.then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${file} has 1 problem`);
    expect(failure?.stderr).toContain('flows[0].schedule.expression');
  });
});
