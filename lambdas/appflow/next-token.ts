/**
 * QueryData's `nextToken`: opaque to AppFlow, to us a versioned, base64url-encoded JSON of where the scan stands:
 * the extraction continuation of the Okta page to read next (null: the first page), how many of that page's
 * matching records were already returned (a page split for the 5 MB / time limits) and the id of the last one, the
 * records returned so far (for LIMIT) and a fingerprint of the query so a token never resumes a different query.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OKTA_OBJECT_NAMES, type OktaObjectName } from '../okta/catalog/types.js';
import type { Continuation } from '../okta/extract/types.js';
import { InvalidRequestError } from './errors.js';

export interface QueryPosition {
  readonly v: 1;
  /** Fingerprint of entity + filterExpression + selected fields. */
  readonly q: string;
  /** Continuation that fetches the page to resume in; null: the first page of the scan. */
  readonly c: Continuation | null;
  /** Matching records of that page already returned. */
  readonly skip: number;
  /** Id of the last record returned from that page (re-anchors the split if the page shifted). */
  readonly lastId: string | null;
  /** Records returned by earlier pages of this query (LIMIT counts across pages). */
  readonly emitted: number;
}

const continuationSchema = z.looseObject({
  v: z.literal(1),
  object: z.enum(OKTA_OBJECT_NAMES as [OktaObjectName, ...OktaObjectName[]]),
  slice: z.null(),
  window: z.null(),
  filterHash: z.string(),
  next: z.string().startsWith('/'),
  pages: z.number().int().nonnegative(),
  scanned: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
});

const positionSchema = z.object({
  v: z.literal(1),
  q: z.string(),
  c: continuationSchema.nullable(),
  skip: z.number().int().nonnegative(),
  lastId: z.string().nullable(),
  emitted: z.number().int().nonnegative(),
});

export function queryFingerprint(parts: {
  entity: string;
  filterExpression: string | null;
  fields: readonly string[] | null;
}): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeNextToken(position: QueryPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a token for the query with fingerprint `q`; InvalidArgument when it is not ours or not this query's. */
export function decodeNextToken(token: string, q: string): QueryPosition {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRequestError('nextToken is not a token this connector issued; start the query without it.');
  }
  const parsed = positionSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidRequestError('nextToken is not a token this connector issued; start the query without it.');
  }
  if (parsed.data.q !== q) {
    throw new InvalidRequestError(
      'nextToken belongs to a different query (entity, filterExpression or selected fields changed); start again without it.',
    );
  }
  return parsed.data as QueryPosition;
}
