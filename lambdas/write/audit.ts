/**
 * The audit of an execution: one JSONL record before each Okta call (intent, result "pending") and one after it
 * (outcome: succeeded, failed, or unknown when Okta may have acted but did not answer), so the audit of an
 * interrupted run says exactly what was attempted and what is known of each attempt.
 *
 * Stored through the output's ObjectStore (a local folder, or S3 with SSE-KMS like the data): after every record
 * the whole file is written again (an atomic rename or PUT), so a reader never sees half a record and the file is
 * complete up to the last record even when the process is killed. Plans are capped by --max-actions (default 100),
 * which keeps the rewrite small.
 *
 * Nothing of the audit trail is ever overwritten: an audit log opened on a key that already holds records (a Lambda
 * retried after it started, the same run id executed twice) continues after them, and each resolution of a run is
 * stored under a name of its own (`resolution.json`, then `resolution.2.json`, …: what was shown, then what ran).
 */
import type { ObjectStore } from '../output/sinks/types.js';
import type { ActionName } from './actions.js';
import type { ResolvedRow } from './resolution.js';

export type AuditResult = 'pending' | 'succeeded' | 'failed' | 'unknown';

export interface AuditRecord {
  readonly time: string;
  readonly runId: string;
  readonly planHash: string;
  readonly row: number;
  readonly action: ActionName;
  readonly phase: 'intent' | 'outcome';
  readonly target: ResolvedRow['target'];
  readonly before: ResolvedRow['before'];
  readonly after: ResolvedRow['after'];
  readonly result: AuditResult;
  /** Okta's `X-Okta-Request-Id` of the call (outcome records), to join with the System Log. */
  readonly requestId?: string;
  readonly error?: { readonly code?: string; readonly status?: number; readonly message: string };
}

/** Where an apply run's files go: `<prefix>/apply/<planHash>/<runId>/{resolution.json,audit.jsonl}`. */
export function applyKeys(prefix: string | undefined, planHash: string, runId: string) {
  const base = applyPlanPrefix(prefix, planHash);
  return { resolution: `${base}${runId}/resolution.json`, audit: `${base}${runId}/audit.jsonl` };
}

export function applyPlanPrefix(prefix: string | undefined, planHash: string): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `${p ? `${p}/` : ''}apply/${planHash}/`;
}

/**
 * Stores `body` at `key`, or — when an object is there already — at the first free `<name>.<n><ext>` beside it, and
 * returns the key used: a record already in the audit trail is never replaced.
 */
export async function putNew(store: ObjectStore, key: string, body: string, contentType: string): Promise<string> {
  const dot = key.lastIndexOf('.');
  const [stem, ext] = dot > key.lastIndexOf('/') ? [key.slice(0, dot), key.slice(dot)] : [key, ''];
  const taken = new Set(await store.listKeys(stem));
  let chosen = key;
  for (let n = 2; taken.has(chosen); n++) chosen = `${stem}.${n}${ext}`;
  await store.putObject(chosen, body, contentType);
  return chosen;
}

export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  readonly location: string;
}

export class StoreAuditLog implements AuditLog {
  readonly #lines: string[];
  /** A new audit at `key` (its creator knows the key is unused); see `resume` for one that may exist. */
  constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    readonly location: string,
    existing: readonly string[] = [],
  ) {
    this.#lines = [...existing];
  }

  /** The audit at `key`, continuing after the records it already holds (none when it does not exist). */
  static async resume(store: ObjectStore, key: string, location: string): Promise<StoreAuditLog> {
    const bytes = await store.getObject(key);
    const existing =
      bytes === null
        ? []
        : new TextDecoder()
            .decode(bytes)
            .split('\n')
            .filter((l) => l.trim() !== '');
    return new StoreAuditLog(store, key, location, existing);
  }

  async append(record: AuditRecord): Promise<void> {
    this.#lines.push(JSON.stringify(record));
    await this.store.putObject(this.key, `${this.#lines.join('\n')}\n`, 'application/x-ndjson');
  }
}

export function parseAudit(text: string): AuditRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** Rows of the plan `planHash` that any earlier execution's audit shows succeeded. */
export async function appliedRows(
  store: ObjectStore,
  prefix: string | undefined,
  planHash: string,
): Promise<Set<number>> {
  const rows = new Set<number>();
  const keys = (await store.listKeys(applyPlanPrefix(prefix, planHash))).filter((k) => k.endsWith('/audit.jsonl'));
  for (const key of keys) {
    const bytes = await store.getObject(key);
    if (bytes === null) continue;
    for (const r of parseAudit(new TextDecoder().decode(bytes))) {
      if (r.planHash === planHash && r.phase === 'outcome' && r.result === 'succeeded') rows.add(r.row);
    }
  }
  return rows;
}
