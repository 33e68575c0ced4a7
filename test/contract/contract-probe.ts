/**
 * An HTTP client for contract tests: every request it sends is checked with `validateRequest`, every response body
 * with `validateResponse` for the operation the path matches, and every `next` link the server hands back is checked
 * like a request. Violations are collected (not thrown) so one test reports all of them at once.
 */
import { matchTemplate, oktaContract, validateRequest, validateResponse } from './openapi-contract.js';

export interface ProbeResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface ProbeOptions {
  /** `Authorization` header value; null sends none. Defaults to `SSWS <apiToken>`. */
  readonly authorization?: string | null;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Form body for POST (application/x-www-form-urlencoded). */
  readonly form?: Record<string, string>;
  /** JSON body (writes). */
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

const NEXT = /<([^>]+)>\s*;\s*rel="?next"?/;
/** Anything that starts like an ISO timestamp must be Okta's exact form: UTC with milliseconds. */
const TIMESTAMP_START = /^\d{4}-\d{2}-\d{2}T/;
const OKTA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class ContractProbe {
  private violations: string[] = [];
  /** `METHOD template status` of every validated response, to prove coverage. */
  readonly covered = new Set<string>();
  /** `METHOD template` → JSON paths (array indexes as `*`) of properties the spec does not declare there. */
  readonly undocumented = new Map<string, Set<string>>();

  constructor(
    private readonly baseUrl: string,
    private readonly apiToken: string,
  ) {}

  async request(pathAndQuery: string, options: ProbeOptions = {}): Promise<ProbeResponse> {
    const method = options.method ?? 'GET';
    const url = new URL(pathAndQuery, this.baseUrl).toString();
    this.check(`${method} ${pathAndQuery}`, validateRequest(method, url));
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    const authorization = options.authorization === undefined ? `SSWS ${this.apiToken}` : options.authorization;
    if (authorization !== null) headers.Authorization = authorization;
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(options.form).toString();
    }
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        this.violations.push(`${method} ${pathAndQuery} → ${response.status}: body is not JSON: ${text.slice(0, 120)}`);
      }
    }
    const match = matchTemplate(new URL(url).pathname);
    if (match === null) {
      this.violations.push(`${method} ${pathAndQuery}: no contract operation matches the path`);
    } else {
      this.covered.add(`${method} ${match.template} ${response.status}`);
      const result = validateResponse(method, match.template, response.status, body);
      this.check(`${method} ${pathAndQuery}`, result);
      if (result.ok) this.noteUndocumented(`${method} ${match.template}`, response.status, body);
      for (const path of nonOktaTimestamps(body)) {
        this.violations.push(
          `[${method} ${pathAndQuery}] at ${path}: not an Okta timestamp (YYYY-MM-DDTHH:mm:ss.SSSZ)`,
        );
      }
    }
    return { url, status: response.status, headers: response.headers, body };
  }

  /** Follows `rel="next"` from `pathAndQuery` to the end; returns every item and the page count. */
  async all(pathAndQuery: string, maxPages = 1_000): Promise<{ items: Record<string, unknown>[]; pages: number }> {
    const items: Record<string, unknown>[] = [];
    let next: string | null = pathAndQuery;
    let pages = 0;
    while (next !== null) {
      if (++pages > maxPages) throw new Error(`more than ${maxPages} pages from ${pathAndQuery}: a Link loop?`);
      const page = await this.request(next);
      if (page.status !== 200 || !Array.isArray(page.body)) {
        throw new Error(`GET ${next} → ${page.status}: ${JSON.stringify(page.body).slice(0, 300)}`);
      }
      items.push(...(page.body as Record<string, unknown>[]));
      const link = nextLink(page.headers.get('link'));
      if (link !== null && new URL(link).origin !== new URL(this.baseUrl).origin) {
        this.violations.push(`GET ${next}: next link ${link} leaves the org's origin`);
        break;
      }
      next = link === null ? null : link.slice(new URL(link).origin.length);
    }
    return { items, pages };
  }

  private noteUndocumented(operation: string, status: number, body: unknown): void {
    const [method = 'GET', template = ''] = operation.split(' ');
    const paths = oktaContract().undocumentedProperties(method, template, status, body);
    if (paths.length === 0) return;
    const set = this.undocumented.get(operation) ?? new Set<string>();
    for (const path of paths) set.add(path.replace(/\/\d+(?=\/|$)/g, '/*'));
    this.undocumented.set(operation, set);
  }

  /** The violations collected since the last call (and forgets them). */
  take(): string[] {
    const taken = this.violations;
    this.violations = [];
    return taken;
  }

  private check(what: string, result: { ok: true } | { ok: false; errors: string[] }): void {
    if (!result.ok) this.violations.push(...result.errors.map((e) => `[${what}] ${e}`));
  }
}

export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const url = NEXT.exec(part)?.[1];
    if (url !== undefined) return url;
  }
  return null;
}

/** JSON paths of string values that look like timestamps but are not `YYYY-MM-DDTHH:mm:ss.SSSZ` (Okta's form). */
export function nonOktaTimestamps(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    return TIMESTAMP_START.test(value) && !OKTA_TIMESTAMP.test(value) ? [`${path || '(root)'} = ${value}`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => nonOktaTimestamps(item, `${path}/${i}`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => nonOktaTimestamps(item, `${path}/${key}`));
  }
  return [];
}
