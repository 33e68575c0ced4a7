/**
 * WriteData: AppFlow as a destination for two entities, through the same write core as `okta-flow apply` (rows
 * validated per action, resolved against the org with Okta's lifecycle rules, only will-change rows called, each
 * between an intent and an outcome audit record):
 *
 * | entity      | operation | record fields               | action (Okta call)                                      |
 * | User        | INSERT    | profile (object or JSON)    | create-user (POST /api/v1/users?activate=true)          |
 * | User        | UPDATE    | id (or idFieldNames), profile | update-user (POST /api/v1/users/{id}, partial)        |
 * | GroupMember | INSERT    | group_id, user_id           | add-user-to-group (PUT /api/v1/groups/{gid}/users/{uid}) |
 * | GroupMember | DELETE    | group_id, user_id           | remove-user-from-group (DELETE …)                       |
 *
 * A record that is already so succeeds without a call. With allOrNone, any invalid record fails them all and nothing
 * is written. Each batch is audited like `okta-flow apply`: its resolution (`resolution.json`) and its intent and
 * outcome records (`audit.jsonl`) go to the output bucket under `<prefix>/apply/<plan hash>/<run id>/` (SSE-KMS
 * like the data; each record is stored before the next call), and to the connector's log; one Apply Action event per
 * outcome goes to EventBridge as from ApplyPlan. No secrets: plans cannot
 * carry credentials.
 */
import { randomBytes } from 'node:crypto';

import { type ApplyEventSink, MemoryApplyEvents } from '../write/apply-events.js';
import { type AuditLog, type AuditRecord, applyKeys, StoreAuditLog } from '../write/audit.js';
import { executeResolution } from '../write/execute-plan.js';
import type { OktaWriteApi } from '../write/okta-write-api.js';
import { type PlanRow, validateRow } from '../write/plan-row.js';
import { resolvePlan } from '../write/resolve-plan.js';
import type { ConnectorLogger, WriteAuditTarget } from './deps.js';
import { InvalidRequestError } from './errors.js';

export const WRITABLE_ENTITIES = {
  User: ['INSERT', 'UPDATE'],
  GroupMember: ['INSERT', 'DELETE'],
} as const satisfies Record<string, readonly string[]>;

export const SUPPORTED_WRITE_OPERATIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;

export interface WriteRecordResult {
  readonly isSuccess: boolean;
  readonly recordId: string | null;
  readonly errorMessage: string | null;
}

export interface WriteDataInput {
  readonly entityIdentifier: string;
  readonly operation: string;
  readonly idFieldNames: readonly string[];
  readonly records: readonly string[];
  readonly allOrNone: boolean;
}

function rawRow(
  entity: string,
  operation: string,
  record: Record<string, unknown>,
  idField: string,
): Record<string, unknown> {
  const profile = typeof record.profile === 'string' ? safeJson(record.profile) : record.profile;
  if (entity === 'User' && operation === 'INSERT') return { action: 'create-user', profile };
  if (entity === 'User') return { action: 'update-user', user: record[idField], profile };
  return {
    action: operation === 'INSERT' ? 'add-user-to-group' : 'remove-user-from-group',
    user: record.user_id,
    group: record.group_id,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

class WriteDataAuditLog implements AuditLog {
  readonly location: string;
  /** Created objects' ids by row (create-user answers with the new user). */
  readonly created = new Map<number, string>();
  constructor(
    private readonly logger: ConnectorLogger,
    private readonly stored: StoreAuditLog | undefined,
  ) {
    this.location = stored?.location ?? 'the connector log';
  }
  async append(record: AuditRecord): Promise<void> {
    if (record.phase === 'outcome' && record.action === 'create-user' && record.target.user?.id) {
      this.created.set(record.row, record.target.user.id);
    }
    // The bucket first: a record that cannot be stored stops the batch before its Okta call.
    await this.stored?.append(record);
    this.logger.info('okta-flow write audit', { audit: record, location: this.location });
  }
}

export async function writeData(
  req: WriteDataInput,
  api: OktaWriteApi,
  logger: ConnectorLogger,
  now: () => number,
  auditTarget?: WriteAuditTarget,
  events: ApplyEventSink = new MemoryApplyEvents(),
): Promise<{ writeRecordResults: WriteRecordResult[] }> {
  const operations: readonly string[] | undefined = (WRITABLE_ENTITIES as Record<string, readonly string[]>)[
    req.entityIdentifier
  ];
  if (!operations?.includes(req.operation)) {
    throw new InvalidRequestError(
      `WriteData supports User (INSERT, UPDATE) and GroupMember (INSERT, DELETE), not ${req.entityIdentifier} ${req.operation}.`,
    );
  }
  const idField = req.idFieldNames[0] ?? 'id';
  const problems = new Map<number, string>();
  const rows: PlanRow[] = [];
  for (const [i, text] of req.records.entries()) {
    const parsed = safeJson(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.set(i, 'the record is not a JSON object');
      continue;
    }
    const result = validateRow(
      i + 1,
      rawRow(req.entityIdentifier, req.operation, parsed as Record<string, unknown>, idField),
    );
    if ('row' in result) rows.push(result.row);
    else problems.set(i, result.problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
  }
  const resolution = await resolvePlan(rows, { api, now });
  for (const r of resolution.rows) {
    if (r.outcome === 'invalid') problems.set(r.row - 1, `${r.field}: ${r.reason}`);
  }
  const rejected = req.allOrNone && problems.size > 0;
  const stamp = new Date(now())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  // Unique per batch (AppFlow sends many at once): the resolution and audit are new objects, never overwrites.
  const runId = `appflow-${stamp}-${randomBytes(4).toString('hex')}`;
  let stored: StoreAuditLog | undefined;
  if (auditTarget !== undefined) {
    // Stored for rejected batches too, as `okta-flow apply` stores the resolution of a rejected plan.
    const keys = applyKeys(auditTarget.prefix, resolution.planHash, runId);
    const body = {
      ...resolution,
      runId,
      execute: !rejected,
      source: 'appflow',
      entity: req.entityIdentifier,
      operation: req.operation,
      ...(rejected ? { rejected: true } : {}),
    };
    await auditTarget.store.putObject(keys.resolution, `${JSON.stringify(body, null, 2)}\n`, 'application/json');
    stored = new StoreAuditLog(auditTarget.store, keys.audit, auditTarget.locate(keys.audit));
  }
  const results: WriteRecordResult[] = req.records.map(() => ({ isSuccess: true, recordId: null, errorMessage: null }));
  if (rejected) {
    return {
      writeRecordResults: results.map((_, i) => ({
        isSuccess: false,
        recordId: null,
        errorMessage: problems.get(i) ?? 'not written: another record of this allOrNone batch is invalid',
      })),
    };
  }
  const audit = new WriteDataAuditLog(logger, stored);
  const execution = await executeResolution(
    { ...resolution, rows: resolution.rows.filter((r) => r.outcome !== 'invalid') },
    { api, audit, events, runId, onError: 'continue', now },
  );
  const byRow = new Map(execution.results.map((r) => [r.row, r]));
  return {
    writeRecordResults: results.map((_, i) => {
      const problem = problems.get(i);
      if (problem !== undefined) return { isSuccess: false, recordId: null, errorMessage: problem };
      const resolved = resolution.rows.find((r) => r.row === i + 1);
      const outcome = byRow.get(i + 1);
      const id =
        resolved?.target.group && resolved.target.user
          ? `${resolved.target.group.id}:${resolved.target.user.id}`
          : (resolved?.target.user?.id ?? audit.created.get(i + 1) ?? null);
      if (outcome && outcome.result !== 'succeeded') {
        return { isSuccess: false, recordId: id, errorMessage: outcome.error ?? outcome.result };
      }
      return { isSuccess: true, recordId: id, errorMessage: null };
    }),
  };
}
