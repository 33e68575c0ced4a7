/**
 * `okta-flow query "<SQL>" [--out DIR | s3://bucket/prefix] [--json]`: SQL over the committed output with DuckDB,
 * through the same tables and views Athena has (users, users_current, user_deletes, …; lambdas/lake/views.ts).
 * Prints a table, or with --json one JSON object per row on stdout and nothing else (other tools read it).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../lambdas/flow/config/load-config.js';
import { COMMITS_FOLDER } from '../../lambdas/lake/commit-log.js';
import type { OutputTarget } from '../../lambdas/output/sinks/types.js';
import { LakeQueryError, openLocalLake } from './local-lake.js';
import { formatTable } from './table.js';

export const DEFAULT_QUERY_OUT = 'okta-flow-output';

export interface QueryOptions {
  readonly sql: string;
  /** A folder (default ./okta-flow-output) or s3://bucket/prefix. */
  readonly out?: string | undefined;
  /** The config whose output.prefix the folder uses (default ./okta-flow.config.json when present). */
  readonly config?: string | undefined;
  /** Inside a folder: the output prefix (default: the config's, else `okta`). */
  readonly prefix?: string | undefined;
  readonly json?: boolean | undefined;
  /** Where lines go (stdout). */
  readonly print?: (line: string) => void;
  /** Tests: an S3 client for s3:// output. */
  readonly s3?: S3Client;
}

export interface QueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

/** A value as JSON: timestamps ISO-8601 UTC, 64-bit integers as numbers when exact, else as strings. */
export function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(jsonValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

function cellText(value: unknown): string {
  const v = jsonValue(value);
  if (v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function resolvePrefix(options: QueryOptions, dir: string): string {
  if (options.prefix !== undefined) return options.prefix;
  const configPath = options.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const prefix = configPath === undefined ? 'okta' : loadConfig(configPath).output.prefix;
  // Pointed at the prefix folder itself (…/okta-flow-output/okta): use it as is.
  if (!existsSync(join(dir, prefix, COMMITS_FOLDER)) && existsSync(join(dir, COMMITS_FOLDER))) return '';
  return prefix;
}

function targetFor(options: QueryOptions): { target: OutputTarget; prefix: string; cacheDir?: string } {
  const out = options.out ?? DEFAULT_QUERY_OUT;
  if (out.startsWith('s3://')) {
    const [bucket, ...parts] = out.slice('s3://'.length).split('/');
    if (!bucket) throw new LakeQueryError(`--out ${out}: expected s3://bucket/prefix`);
    return {
      // Reading needs no KMS key id: S3 decrypts SSE-KMS objects for callers allowed to use the key.
      target: { kind: 's3', client: options.s3 ?? new S3Client({}), bucket, sseKms: { kmsKeyId: 'unused-for-reads' } },
      prefix: parts.filter((p) => p !== '').join('/'),
      cacheDir: mkdtempSync(join(tmpdir(), 'okta-flow-query-')),
    };
  }
  const dir = resolve(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LakeQueryError(
      `No output folder at ${dir}. Point --out at the folder \`okta-flow run --out\` wrote (default ./${DEFAULT_QUERY_OUT}).`,
    );
  }
  return { target: { kind: 'local', rootDir: dir }, prefix: resolvePrefix(options, dir) };
}

export async function queryCommand(options: QueryOptions): Promise<QueryResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { target, prefix, cacheDir } = targetFor(options);
  try {
    const lake = await openLocalLake({ target, prefix, ...(cacheDir ? { cacheDir } : {}) });
    try {
      let reader: Awaited<ReturnType<typeof lake.connection.runAndReadAll>>;
      try {
        reader = await lake.connection.runAndReadAll(options.sql);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new LakeQueryError(`SQL error: ${message}\nTables and views: ${lake.views.join(', ')}`, {
          cause: error,
        });
      }
      const columns = reader.columnNames();
      const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
      if (options.json) {
        for (const row of rows) {
          print(JSON.stringify(Object.fromEntries(columns.map((c) => [c, jsonValue(row[c])]))));
        }
      } else {
        print(
          formatTable(
            columns,
            rows.map((row) => columns.map((c) => cellText(row[c]))),
          ),
        );
        print(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
      }
      return { columns, rows };
    } finally {
      lake.close();
    }
  } finally {
    if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
  }
}
