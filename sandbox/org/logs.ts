import { type EventSkeleton, type GeneratedLog, legacyEventType } from './log-history.js';
import { hash, Stream } from './random.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

export interface LogParty {
  readonly id: string;
  readonly type: string;
  readonly alternateId: string;
  readonly displayName: string;
}

/** The HTTP request behind a write: its event then names the request id, URI, client IP and user agent. */
export interface LogRequestInfo {
  readonly requestId: string;
  readonly requestUri: string;
  readonly ipAddress: string;
  readonly userAgent: string;
}

/** A materialized event (admin mutations, the small default history, injected late events). */
export interface LogEntry {
  readonly seq: number;
  readonly publishedMs: number;
  /** When Okta stored it: polling requests filter and order on this, bounded requests on `publishedMs`. */
  readonly persistedMs: number;
  readonly eventType: string;
  readonly displayMessage: string;
  readonly actor: LogParty;
  readonly targets: readonly LogParty[];
  readonly request?: LogRequestInfo;
  readonly outcome?: { readonly result: string; readonly reason?: string };
  readonly severity?: string;
}

export type LogDraft = Omit<LogEntry, 'seq' | 'actor' | 'persistedMs'> & {
  readonly actor?: LogParty;
  readonly persistedMs?: number;
};

/** Polling requests order by persistence time, bounded (and descending) requests by `published`. */
export type LogOrder = 'persisted' | 'published';

/**
 * A position in one ordering: (time, source, index). Generated events are source 0 (index = event number),
 * materialized ones source 1 (index = seq), so equal times order deterministically and a cursor is exact.
 */
export interface LogKey {
  readonly t: number;
  readonly src: number;
  readonly idx: number;
}

export type LogRef =
  | { readonly kind: 'generated'; readonly i: number; readonly key: LogKey }
  | { readonly kind: 'entry'; readonly entry: LogEntry; readonly key: LogKey };

export function compareKeys(a: LogKey, b: LogKey): number {
  return a.t !== b.t ? a.t - b.t : a.src !== b.src ? a.src - b.src : a.idx - b.idx;
}

/** Okta's legacy event types for the events mutations write (absent ones are simply omitted). */
const LEGACY: Readonly<Record<string, string>> = {
  'user.lifecycle.reactivate': 'core.user.config.user_reactivated',
  'group.profile.update': 'core.user_group.profile_updated',
  'application.lifecycle.activate': 'app.generic.config.app_activated',
  'application.lifecycle.deactivate': 'app.generic.config.app_deactivated',
};

/**
 * The System Log: a generated history (`GeneratedLog`, nothing materialized) merged with materialized events
 * (mutations, injected late events, or the small default history). Both are kept in two orders — by persistence
 * time for polling, by `published` for bounded queries — and read as merged streams from a cursor.
 */
export class LogStore {
  private byPublished: LogEntry[] = [];
  private byPersisted: LogEntry[] = [];
  private seq = 0;
  private historyLoaded = false;

  constructor(
    private readonly seed: number,
    private readonly defaultActor: LogParty,
    private readonly history: () => Iterable<LogDraft>,
    readonly generated: GeneratedLog | undefined,
  ) {}

  /** Records an event persisted now (mutations: published = persisted). */
  append(draft: LogDraft): LogEntry {
    this.loadHistory();
    return this.insert(draft);
  }

  /** Number of materialized events (the generated history is not counted: it costs no memory). */
  get materializedCount(): number {
    this.loadHistory();
    return this.byPublished.length;
  }

  private insert(draft: LogDraft): LogEntry {
    const entry: LogEntry = {
      ...draft,
      actor: draft.actor ?? this.defaultActor,
      persistedMs: draft.persistedMs ?? draft.publishedMs,
      seq: this.seq++,
    };
    insertSorted(this.byPublished, entry, (e) => e.publishedMs);
    insertSorted(this.byPersisted, entry, (e) => e.persistedMs);
    return entry;
  }

  private loadHistory(): void {
    if (this.historyLoaded) return;
    this.historyLoaded = true;
    const drafts = [...this.history()].sort((a, b) => a.publishedMs - b.publishedMs);
    const existing = this.byPublished;
    this.byPublished = [];
    this.byPersisted = [];
    for (const draft of drafts) this.insert(draft);
    for (const entry of existing) {
      insertSorted(this.byPublished, entry, (e) => e.publishedMs);
      insertSorted(this.byPersisted, entry, (e) => e.persistedMs);
    }
  }

  private entryKey(entry: LogEntry, order: LogOrder): LogKey {
    return { t: order === 'persisted' ? entry.persistedMs : entry.publishedMs, src: 1, idx: entry.seq };
  }

  /** Events with key > `after`, ascending, in `order` (generated and materialized merged). */
  *ascending(after: LogKey, order: LogOrder): Generator<LogRef, void, undefined> {
    this.loadHistory();
    const entries = order === 'persisted' ? this.byPersisted : this.byPublished;
    let m = upperBound(entries, (e) => compareKeys(this.entryKey(e, order), after) <= 0);
    const gen = this.generated;
    let g = gen ? gen.firstAtOrAfter(after.t) : 0;
    const genKey = (i: number): LogKey => ({ t: gen?.publishedMs(i) ?? 0, src: 0, idx: i });
    while (gen && g < gen.count && compareKeys(genKey(g), after) <= 0) g++;
    for (;;) {
      const entry = entries[m];
      const hasGen = gen !== undefined && g < gen.count;
      if (!entry && !hasGen) return;
      const gk = hasGen ? genKey(g) : undefined;
      const ek = entry ? this.entryKey(entry, order) : undefined;
      if (gk && (!ek || compareKeys(gk, ek) < 0)) {
        yield { kind: 'generated', i: g, key: gk };
        g++;
      } else if (entry && ek) {
        yield { kind: 'entry', entry, key: ek };
        m++;
      }
    }
  }

  /** Events with key < `before`, descending, in `order`. */
  *descending(before: LogKey, order: LogOrder): Generator<LogRef, void, undefined> {
    this.loadHistory();
    const entries = order === 'persisted' ? this.byPersisted : this.byPublished;
    let m = upperBound(entries, (e) => compareKeys(this.entryKey(e, order), before) < 0) - 1;
    const gen = this.generated;
    const genKey = (i: number): LogKey => ({ t: gen?.publishedMs(i) ?? 0, src: 0, idx: i });
    let g = gen ? Math.min(gen.count, gen.firstAtOrAfter(before.t + 1)) - 1 : -1;
    while (gen && g >= 0 && compareKeys(genKey(g), before) >= 0) g--;
    for (;;) {
      const entry = m >= 0 ? entries[m] : undefined;
      const hasGen = g >= 0;
      if (!entry && !hasGen) return;
      const gk = hasGen ? genKey(g) : undefined;
      const ek = entry ? this.entryKey(entry, order) : undefined;
      if (gk && (!ek || compareKeys(gk, ek) > 0)) {
        yield { kind: 'generated', i: g, key: gk };
        g--;
      } else if (entry && ek) {
        yield { kind: 'entry', entry, key: ek };
        m--;
      }
    }
  }

  /** Cheap fields of an event (filters on eventType/actor/target/outcome/severity need no JSON). */
  skeleton(ref: LogRef): EventSkeleton | undefined {
    return ref.kind === 'generated' ? this.generated?.skeleton(ref.i) : undefined;
  }

  publishedMs(ref: LogRef): number {
    return ref.kind === 'generated' ? (this.generated?.publishedMs(ref.i) ?? 0) : ref.entry.publishedMs;
  }

  serialize(ref: LogRef, skeleton?: EventSkeleton): Record<string, unknown> {
    if (ref.kind === 'generated') return this.generated?.serialize(ref.i, skeleton) ?? {};
    return this.serializeEntry(ref.entry);
  }

  uuid(seq: number): string {
    const hex = [0, 1, 2, 3].map((k) => hash(this.seed, Stream.log, seq, k).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** One materialized event as `/api/v1/logs` returns it (fields the sandbox cannot know are omitted, not null). */
  serializeEntry(entry: LogEntry): Record<string, unknown> {
    const legacy = LEGACY[entry.eventType] ?? legacyEventType(entry.eventType);
    const request = entry.request;
    const requestId = request?.requestId ?? `sandbox-${entry.seq}`;
    const ip = request?.ipAddress.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const agent = request?.userAgent || 'okta-flow-sandbox/1.0';
    return {
      actor: { ...entry.actor },
      client: {
        userAgent: { rawUserAgent: agent, os: 'Unknown', browser: 'UNKNOWN' },
        zone: 'null',
        device: 'Unknown',
        ipAddress: ip,
      },
      authenticationContext: { authenticationStep: 0, externalSessionId: 'trs-sandbox' },
      displayMessage: entry.displayMessage,
      eventType: entry.eventType,
      outcome: entry.outcome ? { ...entry.outcome } : { result: 'SUCCESS' },
      published: oktaTimestamp(entry.publishedMs),
      securityContext: {},
      severity: entry.severity ?? 'INFO',
      debugContext: {
        debugData: {
          requestId,
          requestUri: request?.requestUri ?? '/api/v1',
          url: `${request?.requestUri ?? '/api/v1'}?`,
        },
      },
      ...(legacy ? { legacyEventType: legacy } : {}),
      transaction: { type: 'WEB', id: requestId, detail: {} },
      uuid: this.uuid(entry.seq),
      version: '0',
      request: { ipChain: [{ ip, version: ip.includes(':') ? 'V6' : 'V4' }] },
      target: entry.targets.map((t) => ({ ...t })),
    };
  }
}

/** Inserts keeping `list` sorted by `time` then seq; usually an append (events arrive in time order). */
function insertSorted(list: LogEntry[], entry: LogEntry, time: (e: LogEntry) => number): void {
  let at = list.length;
  while (at > 0) {
    const prev = list[at - 1];
    if (!prev || time(prev) <= time(entry)) break;
    at--;
  }
  list.splice(at, 0, entry);
}

/** The first index whose element does not satisfy `before` (which holds for a prefix of the list). */
function upperBound<T>(list: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = list[mid];
    if (item !== undefined && before(item)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Opaque System Log cursor: the ordering key of the last event returned (or scanned). */
export function encodeLogCursor(key: LogKey): string {
  return Buffer.from(`${key.t}.${key.src}.${key.idx}`).toString('base64url');
}

export function decodeLogCursor(cursor: string): LogKey | undefined {
  const match = /^(-?\d+)\.(-?\d)\.(-?\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { t: Number(match[1]), src: Number(match[2]), idx: Number(match[3]) };
}
