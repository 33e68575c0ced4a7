/** Test doubles for the Okta client: a fake clock with a timer queue, a scripted fetch, and a driver. */
import type { Clock } from '../../../../lambdas/okta/http/clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A clock that only moves when `drive` (or `advance`) moves it. */
export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  constructor(public t = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
  /** Fire the earliest timer (moving time to it); false when none is pending. */
  fireNext(): boolean {
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift();
    if (!next) return false;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    return true;
  }
  get pending(): number {
    return this.timers.length;
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Run `work` to completion, firing fake timers whenever everything else is idle. */
export async function drive<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let settled = false;
  work.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let idleRounds = 0;
  while (!settled) {
    await tick();
    if (settled) break;
    if (clock.fireNext()) {
      idleRounds = 0;
      continue;
    }
    idleRounds++;
    if (idleRounds > 50) throw new Error('drive: deadlock (no timers pending and work not settled)');
  }
  return work;
}

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly at: number;
}

export type Handler = (req: RecordedRequest, index: number) => Response | Promise<Response>;

/** A fetch that records every request and answers with `handler`. */
export function scriptedFetch(clock: FakeClock, handler: Handler): { fetch: typeof fetch; calls: RecordedRequest[] } {
  const calls: RecordedRequest[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const req: RecordedRequest = {
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      at: clock.now(),
    };
    calls.push(req);
    init?.signal?.throwIfAborted();
    return handler(req, calls.length - 1);
  };
  return { fetch: fake as typeof fetch, calls };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A deterministic [0, 1) sequence. */
export function seededRandom(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
