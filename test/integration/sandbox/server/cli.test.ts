import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

describe('sandbox CLI', () => {
  it('prints one JSON line with baseUrl, apiToken and oauth, serves, and exits 0 on SIGTERM', async () => {
    // The tsx binary `npx tsx` resolves to: npx's own wrapper dies by the signal instead of relaying the exit code.
    const child = spawn(
      'node_modules/.bin/tsx',
      ['sandbox/cli.ts', '--users', '50', '--seed', '42', '--port', '0', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(first) as {
      baseUrl: string;
      apiToken: string;
      oauth: { tokenUrl: string; clients: { web: { clientId: string }; service: { privateJwk: { d?: string } } } };
    };
    expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.oauth.tokenUrl).toBe(`${info.baseUrl}/oauth2/v1/token`);
    expect(info.oauth.clients.web.clientId).toMatch(/^0oa/);
    expect(info.oauth.clients.service.privateJwk.d).toBeTruthy();

    const res = await fetch(`${info.baseUrl}/api/v1/users?limit=5`, {
      headers: { Authorization: `SSWS ${info.apiToken}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown[]).toHaveLength(5);

    const more: string[] = [];
    lines.on('line', (line) => more.push(line));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect({ code, stderr: stderr.replace(/npm warn.*\n?/g, '') }).toEqual({ code: 0, stderr: '' });
    expect(more).toEqual([]);
  });
});
