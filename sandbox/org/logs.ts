import { hash, Stream } from './random.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

export interface LogParty {
  readonly id: string;
  readonly type: string;
  readonly alternateId: string;
  readonly displayName: string;
}

export interface LogEntry {
  readonly seq: number;
  readonly publishedMs: number;
  readonly eventType: string;
  readonly displayMessage: string;
  readonly actor: LogParty;
  readonly targets: readonly LogParty[];
}

export type LogDraft = Omit<LogEntry, 'seq' | 'actor'> & { readonly actor?: LogParty };

/** Okta's legacy event types for the events the sandbox writes (absent ones are simply omitted). */
const LEGACY: Readonly<Record<string, string>> = {
  'user.lifecycle.create': 'core.user.config.user_creation.success',
  'user.lifecycle.activate': 'core.user.config.user_activated',
  'user.lifecycle.deactivate': 'core.user.config.user_deactivated',
  'user.lifecycle.suspend': 'core.user.config.user_status.suspended',
  'user.lifecycle.unsuspend': 'core.user.config.user_status.unsuspended',
  'user.lifecycle.delete.completed': 'core.user.config.user_deleted',
  'user.account.update_profile': 'core.user.config.profile_update.success',
  'group.user_membership.add': 'core.user_group_member.user_add',
  'group.user_membership.remove': 'core.user_group_member.user_remove',
  'group.lifecycle.create': 'core.user_group.created',
  'group.lifecycle.delete': 'core.user_group.deleted',
  'application.lifecycle.delete': 'app.generic.config.app_deleted',
  'application.user_membership.add': 'app.generic.provision.assign_user_to_app',
  'application.user_membership.remove': 'app.generic.unauth_app_access_attempt',
};

/**
 * The System Log: generated history (lazily, on first read) plus one event per admin mutation, ordered by
 * (published, seq). Cursors encode that position, so polling resumes exactly after the last event it saw.
 */
export class LogStore {
  private entries: LogEntry[] = [];
  private seq = 0;
  private historyLoaded = false;

  constructor(
    private readonly seed: number,
    private readonly defaultActor: LogParty,
    private readonly history: () => Iterable<LogDraft>,
  ) {}

  append(draft: LogDraft): LogEntry {
    this.loadHistory();
    return this.insert(draft);
  }

  /** All events in order (history included). */
  list(): readonly LogEntry[] {
    this.loadHistory();
    return this.entries;
  }

  private insert(draft: LogDraft): LogEntry {
    const entry: LogEntry = { ...draft, actor: draft.actor ?? this.defaultActor, seq: this.seq++ };
    // Usually an append; a clock moved backwards by a test lands the event at its time-ordered position.
    let at = this.entries.length;
    while (at > 0 && (this.entries[at - 1]?.publishedMs ?? 0) > entry.publishedMs) at--;
    this.entries.splice(at, 0, entry);
    return entry;
  }

  private loadHistory(): void {
    if (this.historyLoaded) return;
    this.historyLoaded = true;
    const drafts = [...this.history()].sort((a, b) => a.publishedMs - b.publishedMs);
    const existing = this.entries;
    this.entries = [];
    for (const draft of drafts) this.insert(draft);
    for (const entry of existing) this.insert(entry);
  }

  uuid(seq: number): string {
    const hex = [0, 1, 2, 3].map((k) => hash(this.seed, Stream.log, seq, k).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** One event as `/api/v1/logs` returns it (fields the sandbox cannot know are omitted rather than null). */
  serialize(entry: LogEntry): Record<string, unknown> {
    const legacy = LEGACY[entry.eventType];
    return {
      actor: { ...entry.actor },
      client: {
        userAgent: { rawUserAgent: 'okta-flow-sandbox/1.0', os: 'Unknown', browser: 'UNKNOWN' },
        zone: 'null',
        device: 'Unknown',
        ipAddress: '127.0.0.1',
      },
      authenticationContext: { authenticationStep: 0, externalSessionId: 'trs-sandbox' },
      displayMessage: entry.displayMessage,
      eventType: entry.eventType,
      outcome: { result: 'SUCCESS' },
      published: oktaTimestamp(entry.publishedMs),
      securityContext: {},
      severity: 'INFO',
      debugContext: { debugData: { requestId: `sandbox-${entry.seq}`, requestUri: '/api/v1' } },
      ...(legacy ? { legacyEventType: legacy } : {}),
      transaction: { type: 'WEB', id: `sandbox-${entry.seq}`, detail: {} },
      uuid: this.uuid(entry.seq),
      version: '0',
      request: { ipChain: [] },
      target: entry.targets.map((t) => ({ ...t })),
    };
  }
}

/** Opaque System Log cursor: the (published, seq) position of the last event returned. */
export function encodeLogCursor(publishedMs: number, seq: number): string {
  return Buffer.from(`${publishedMs}.${seq}`).toString('base64url');
}

export function decodeLogCursor(cursor: string): { publishedMs: number; seq: number } | undefined {
  const match = /^(\d+)\.(-?\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) return undefined;
  return { publishedMs: Number(match[1]), seq: Number(match[2]) };
}
