/**
 * A real S3 HTTP server on loopback for the output tests: s3rver, plus the two multipart calls it lacks
 * (AbortMultipartUpload, ListMultipartUploads) served from s3rver's own upload folders, so "no orphan parts" is
 * checked through the S3 API. The S3Client gets middlewares that record every request's wire headers and can
 * inject faults into chosen requests (inside the SDK's retry loop, like a real 5xx).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface CapturedRequest {
  readonly command: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

export type FaultRule = (command: string, input: Record<string, unknown>, attempt: number) => Error | undefined;

export interface S3Harness {
  readonly client: S3Client;
  readonly bucket: string;
  readonly requests: CapturedRequest[];
  /** Replace the fault rule (undefined: no faults). */
  setFault(rule: FaultRule | undefined): void;
  openMultipartUploads(): Promise<string[]>;
  close(): Promise<void>;
}

const SSE_HEADERS = [
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-bucket-key-enabled',
];

export async function startS3(): Promise<S3Harness> {
  const bucket = 'okta-flow-test';
  const directory = mkdtempSync(join(tmpdir(), 'okta-flow-s3rver-'));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const delegate = s3rver.callback();
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const uploadId = url.searchParams.get('uploadId');
    if (req.method === 'DELETE' && uploadId !== null) {
      // AbortMultipartUpload: drop the upload's parts.
      const dir = join(uploadsDir, uploadId);
      const exists = readdirSync(uploadsDir, { withFileTypes: true }).some((d) => d.name === uploadId);
      rmSync(dir, { recursive: true, force: true });
      req.resume();
      res.writeHead(exists ? 204 : 404).end();
      return;
    }
    if (req.method === 'GET' && url.searchParams.has('uploads') && url.pathname.replace(/\/$/, '') === `/${bucket}`) {
      const uploads = listUploads(uploadsDir)
        .map((u) => `<Upload><Key>${u.key}</Key><UploadId>${u.id}</UploadId></Upload>`)
        .join('');
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          `<Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated>${uploads}</ListMultipartUploadsResult>`,
      );
      return;
    }
    delegate(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    maxAttempts: 3,
  });
  const requests: CapturedRequest[] = [];
  let fault: FaultRule | undefined;
  const attempts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = (
        args as {
          request?: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string> };
        }
      ).request;
      const command = String(context.commandName ?? '');
      if (request) {
        requests.push({
          command,
          method: request.method,
          path: request.path,
          query: { ...request.query },
          headers: { ...request.headers },
        });
        const input = args.input as Record<string, unknown>;
        const id = `${command}:${String(input.Key)}:${String(input.PartNumber ?? '')}`;
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        const error = fault?.(command, input, attempt);
        if (error) throw error;
        // s3rver ignores SSE headers (it cannot encrypt); they are recorded above, then passed through unchanged.
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'okta-flow-test-capture' },
  );

  return {
    client,
    bucket,
    requests,
    setFault(rule) {
      fault = rule;
      attempts.clear();
    },
    async openMultipartUploads() {
      const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return (out.Uploads ?? []).map((u) => `${u.Key}:${u.UploadId}`);
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger?.exceptions?.unhandle?.();
      s3rver.logger?.close?.();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function listUploads(dir: string): { id: string; key: string }[] {
  let ids: string[];
  try {
    ids = readdirSync(dir);
  } catch {
    return [];
  }
  return ids.map((id) => ({ id, key: readFileSync(join(dir, id, 'key'), 'utf8') }));
}

/** An error the SDK's retry strategy treats as transient (like an S3 500 InternalError). */
export function transientError(): Error {
  return Object.assign(new Error('injected InternalError'), {
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
}

/** An error the SDK does not retry (like a 403 AccessDenied on the KMS key). */
export function permanentError(): Error {
  return Object.assign(new Error('injected AccessDenied: not allowed to use the KMS key'), {
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
  });
}

export { SSE_HEADERS };
