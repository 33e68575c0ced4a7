import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  /** Every header line as sent (lower-cased names), so repeated `Link` lines stay separate. */
  readonly lines: readonly [string, string][];
  readonly body: string;
  header(name: string): string[];
}

/** A GET through node:http (fetch joins repeated headers, and these tests need to see the lines). */
export function rawRequest(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          lines.push([String(res.rawHeaders[i]).toLowerCase(), String(res.rawHeaders[i + 1])]);
        }
        resolve({
          status: res.statusCode ?? 0,
          lines,
          body: Buffer.concat(chunks).toString('utf8'),
          header: (name) => lines.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function form(values: Record<string, string>): URLSearchParams {
  return new URLSearchParams(values);
}
