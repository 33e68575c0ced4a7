/**
 * Instants for filter values. Okta timestamps carry milliseconds (`2024-01-01T00:00:00.000Z`), but a filter literal
 * may carry more fraction digits. We keep every digit the user wrote (so comparisons stay exact) and write the
 * canonical form with at least millisecond precision: `YYYY-MM-DDThh:mm:ss.SSS[extra]Z`, always UTC.
 */

export interface Instant {
  /** Milliseconds since the epoch, truncated toward the past (floor). */
  readonly epochMs: number;
  /** Fraction digits below the millisecond, trailing zeros removed ('' when the instant is a whole millisecond). */
  readonly subMs: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Smallest and largest instants Okta-style 4-digit years can express. */
const MIN_MS = new Date(0).setUTCFullYear(0, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Reject dates that roll over (Feb 30, hour 24, second 60): the fields must round-trip.
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return null;
  }
  return date.getTime();
}

/** `YYYY-MM-DD` → midnight UTC of that day, or null when not a real calendar date. */
export function parseIsoDate(text: string): Instant | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0);
  return ms === null ? null : { epochMs: ms, subMs: '' };
}

/**
 * An ISO-8601 date-time with seconds and a `Z` or `±hh:mm` offset → Instant, or null. (The AppFlow DSL only allows
 * `Z`; its lexer enforces that. Structured filters from config may carry an offset.)
 */
export function parseIsoDateTime(text: string): Instant | null {
  const m = DATETIME_RE.exec(text);
  if (!m) return null;
  const base = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (base === null) return null;
  const fraction = m[7] ?? '';
  const msDigits = fraction.slice(0, 3).padEnd(3, '0');
  const subMs = fraction.slice(3).replace(/0+$/, '');
  let offsetMs = 0;
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2, 4));
    if (hours > 23 || minutes > 59) return null;
    offsetMs = sign * (hours * 60 + minutes) * 60_000;
  }
  const epochMs = base + Number(msDigits) - offsetMs;
  if (epochMs < MIN_MS || epochMs > MAX_MS) return null;
  return { epochMs, subMs };
}

/** Epoch milliseconds (an integer) → Instant, or null when not an integer in the 4-digit-year range. */
export function instantFromEpochMs(ms: number): Instant | null {
  if (!Number.isSafeInteger(ms) || ms < MIN_MS || ms > MAX_MS) return null;
  return { epochMs: ms, subMs: '' };
}

/** Canonical UTC form with at least millisecond precision, e.g. `2024-01-01T00:00:00.000Z`. */
export function formatInstant(instant: Instant): string {
  const iso = new Date(instant.epochMs).toISOString();
  return `${iso.slice(0, -1)}${instant.subMs}Z`;
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. Exact, including sub-millisecond digits. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.epochMs !== b.epochMs) return a.epochMs < b.epochMs ? -1 : 1;
  const width = Math.max(a.subMs.length, b.subMs.length);
  const x = a.subMs.padEnd(width, '0');
  const y = b.subMs.padEnd(width, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Parses anything okta-flow accepts as a date-time filter value: ISO date, ISO date-time, or epoch millis. */
export function toInstant(value: unknown): Instant | null {
  if (typeof value === 'number') return instantFromEpochMs(value);
  if (typeof value !== 'string') return null;
  return parseIsoDateTime(value) ?? parseIsoDate(value);
}
