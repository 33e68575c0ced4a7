import type { IncomingMessage } from 'node:http';
import { oktaTimestamp, type SandboxClock } from '../clock.js';
import type { RouteResult } from '../org/contract.js';
import { type FaultController, type FaultRule, InvalidFaultRuleError } from './faults.js';
import type { OrgAuthorizationServer } from './oauth/authorization-server.js';
import type { RateLimiter } from './rate-limits.js';
import type { SandboxStats } from './stats.js';

export interface ReservedContext {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path below `/__sandbox` (e.g. `/clock`, `/admin/users`). */
  readonly pathname: string;
  readonly clock: SandboxClock;
  readonly org: {
    handleAdmin(method: string, pathname: string, body: unknown): RouteResult;
    injectLateLogEvent?(input: { eventType: string; publishedMs: number; displayMessage?: string }): unknown;
  };
  readonly faults: FaultController;
  readonly rateLimits: RateLimiter;
  readonly authorizationServer: OrgAuthorizationServer;
  stats(): SandboxStats;
  origin(): string;
  readBody(req: IncomingMessage): Promise<string>;
}

export type Respond = (status: number, json: unknown) => void;

/**
 * The sandbox's own control plane under `/__sandbox/` — a loopback test tool, so no Okta auth, rate limits or
 * faults apply here:
 * - `GET /clock`, `POST /clock {"setMs"|"set"|"advanceMs"}`
 * - `GET|POST|DELETE /faults`, `DELETE /faults/{id}`
 * - `GET /stats`, `POST /tokens/expire`, `POST /rate-limits/reset`
 * - `POST /logs/late {"eventType", "published" | "publishedMs", "displayMessage"?}`: a System Log event persisted
 *   now but published earlier (a late event), so tests can prove pollers do not lose it
 * - `* /admin/...` → the org's own admin handler (create, update, deactivate, delete records)
 */
export async function handleReservedRequest(context: ReservedContext, respond: Respond): Promise<void> {
  const { method, pathname, clock, faults } = context;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readJson(context);
  if (body instanceof SyntaxError)
    return respond(400, { error: `The request body is not valid JSON: ${body.message}` });

  if (pathname === '' || pathname === '/') {
    return respond(200, {
      baseUrl: context.origin(),
      endpoints: [
        '/__sandbox/clock',
        '/__sandbox/faults',
        '/__sandbox/stats',
        '/__sandbox/tokens/expire',
        '/__sandbox/rate-limits/reset',
        '/__sandbox/logs/late',
        '/__sandbox/admin/…',
      ],
    });
  }
  if (pathname === '/clock') {
    if (method === 'POST' || method === 'PUT') {
      const request = isRecord(body) ? body : {};
      if (typeof request.setMs === 'number') clock.set(request.setMs);
      else if (typeof request.set === 'string' && !Number.isNaN(Date.parse(request.set)))
        clock.set(Date.parse(request.set));
      if (typeof request.advanceMs === 'number') clock.advance(request.advanceMs);
      if (request.setMs === undefined && request.set === undefined && request.advanceMs === undefined) {
        return respond(400, { error: 'Send {"setMs": <epoch ms>}, {"set": "<ISO-8601>"} or {"advanceMs": <ms>}.' });
      }
    } else if (method !== 'GET') return respond(405, { error: 'Use GET or POST on /__sandbox/clock.' });
    const now = clock.now();
    return respond(200, { nowMs: now, now: oktaTimestamp(now), running: clock.running });
  }
  if (pathname === '/faults') {
    if (method === 'GET') return respond(200, faults.list());
    if (method === 'DELETE') {
      faults.clear();
      return respond(200, { cleared: true });
    }
    if (method === 'POST') {
      const rules = Array.isArray(body) ? body : [body];
      try {
        const ids = rules.map((rule) => faults.add(rule as FaultRule));
        return respond(201, { ids });
      } catch (error) {
        if (error instanceof InvalidFaultRuleError) return respond(400, { error: error.message });
        throw error;
      }
    }
    return respond(405, { error: 'Use GET, POST or DELETE on /__sandbox/faults.' });
  }
  if (pathname.startsWith('/faults/') && method === 'DELETE') {
    faults.clear(decodeURIComponent(pathname.slice('/faults/'.length)));
    return respond(200, { cleared: true });
  }
  if (pathname === '/stats' && method === 'GET') return respond(200, context.stats());
  if (pathname === '/tokens/expire' && method === 'POST') {
    return respond(200, { revoked: context.authorizationServer.store.revokeAllAccessTokens() });
  }
  if (pathname === '/rate-limits/reset' && method === 'POST') {
    context.rateLimits.reset();
    return respond(200, { reset: true });
  }
  if (pathname === '/logs/late') {
    if (method !== 'POST') return respond(405, { error: 'Use POST on /__sandbox/logs/late.' });
    const request = isRecord(body) ? body : {};
    const publishedMs =
      typeof request.publishedMs === 'number'
        ? request.publishedMs
        : typeof request.published === 'string'
          ? Date.parse(request.published)
          : Number.NaN;
    if (typeof request.eventType !== 'string' || Number.isNaN(publishedMs) || !context.org.injectLateLogEvent) {
      return respond(400, { error: 'Send {"eventType": "<type>", "published": "<ISO-8601 in the past>"}.' });
    }
    try {
      const event = context.org.injectLateLogEvent({
        eventType: request.eventType,
        publishedMs,
        ...(typeof request.displayMessage === 'string' ? { displayMessage: request.displayMessage } : {}),
      });
      return respond(201, event);
    } catch (error) {
      if (error instanceof RangeError) return respond(400, { error: error.message });
      throw error;
    }
  }
  if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    const result = context.org.handleAdmin(method, pathname.slice('/admin'.length) || '/', body);
    if (result.kind === 'error') {
      const { status, errorCode, errorSummary, errorCauses } = result.error;
      return respond(status, {
        errorCode,
        errorSummary,
        errorLink: errorCode,
        errorId: 'sandbox-admin',
        errorCauses: errorCauses ?? [],
      });
    }
    if (result.kind === 'empty') return respond(result.status, null);
    return respond(
      result.kind === 'item' ? (result.status ?? 200) : 200,
      result.kind === 'list' ? result.items : result.body,
    );
  }
  return respond(404, { error: `No sandbox endpoint ${method} /__sandbox${pathname}.` });
}

async function readJson(context: ReservedContext): Promise<unknown> {
  const text = await context.readBody(context.req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
