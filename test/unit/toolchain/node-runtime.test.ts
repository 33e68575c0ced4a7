import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The Lambdas run on nodejs22.x: the suite must run on the same major, whatever Node the machine has. The `node`
// devDependency puts Node 22 first on the PATH of every npm script (node_modules/.bin/node).
describe('test runtime', () => {
  it('is the Lambda runtime major and satisfies package.json engines', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major).toBe(22);
    const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
    const [wantMajor, wantMinor] = (/>=(\d+)\.(\d+)/.exec(engines) ?? []).slice(1).map(Number);
    const [haveMajor, haveMinor] = process.versions.node.split('.').map(Number);
    expect(haveMajor === wantMajor ? (haveMinor ?? 0) >= (wantMinor ?? 0) : (haveMajor ?? 0) > (wantMajor ?? 0)).toBe(
      true,
    );
  });
});
