import { seededRandom } from './random.js';

/** What an injected fault does to a matching request. */
export type Fault =
  /** Answer with this status and Okta's error body (500 E0000009, 503 E0000010). */
  | { readonly kind: 'status'; readonly status: number }
  /** Destroy the socket without answering. */
  | { readonly kind: 'reset' }
  /** Wait `ms` (wall-clock) before handling the request normally. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Send only the first half of the JSON body (with a matching Content-Length, so the JSON is what breaks). */
  | { readonly kind: 'truncate' }
  /** A list whose `next` link equals its `self` link. */
  | { readonly kind: 'linkLoop' }
  /** Both links in one comma-separated `Link` header. */
  | { readonly kind: 'joinedLink' }
  /** No `Link` header at all. */
  | { readonly kind: 'missingLink' }
  /** Invalidate every access token issued so far, before this request is authenticated (so it gets 401). */
  | { readonly kind: 'expireTokens' };

export interface FaultRule {
  /** Set by the controller when absent; use it to remove the rule. */
  readonly id?: string;
  /** Exact route template, e.g. `/api/v1/users/{id}/groups` (OAuth paths are their own template). */
  readonly route?: string;
  /** Path prefix, e.g. `/api/v1/groups` (matches the list and everything below it). */
  readonly pathPrefix?: string;
  /** HTTP method (any when absent). */
  readonly method?: string;
  /** Fire with this probability (seeded RNG) … */
  readonly probability?: number;
  /** … or on exactly the Nth matching request (1-based). Without either the rule fires on every match. */
  readonly nth?: number;
  /** Stop after firing this many times. */
  readonly times?: number;
  readonly fault: Fault;
}

interface ActiveRule {
  readonly rule: FaultRule & { readonly id: string };
  matched: number;
  fired: number;
}

export interface FaultTarget {
  readonly method: string;
  readonly pathname: string;
  /** Route template when the path resolved to a route; the pathname itself otherwise. */
  readonly template: string;
}

/** Runtime-controllable fault rules; decisions are reproducible for a given seed and request order. */
export class FaultController {
  readonly #rules: ActiveRule[] = [];
  readonly #random: () => number;
  #nextId = 1;
  #firedTotal = 0;

  constructor(seed: number, rules: readonly FaultRule[] = []) {
    this.#random = seededRandom(seed ^ 0x5eed);
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule and returns its id. */
  add(rule: FaultRule): string {
    validateRule(rule);
    const id = rule.id ?? `fault-${this.#nextId++}`;
    this.#rules.push({ rule: { ...rule, id }, matched: 0, fired: 0 });
    return id;
  }

  /** Removes one rule by id, or all rules without an id. */
  clear(id?: string): void {
    if (id === undefined) {
      this.#rules.length = 0;
      return;
    }
    const index = this.#rules.findIndex((active) => active.rule.id === id);
    if (index >= 0) this.#rules.splice(index, 1);
  }

  list(): { rule: FaultRule; matched: number; fired: number }[] {
    return this.#rules.map(({ rule, matched, fired }) => ({ rule, matched, fired }));
  }

  get firedTotal(): number {
    return this.#firedTotal;
  }

  get active(): boolean {
    return this.#rules.length > 0;
  }

  /** The faults that fire for this request, in rule order. Counting happens here, so call it once per request. */
  decide(target: FaultTarget): Fault[] {
    const fired: Fault[] = [];
    for (const active of this.#rules) {
      const { rule } = active;
      if (!matches(rule, target)) continue;
      active.matched += 1;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      let fire = true;
      if (rule.nth !== undefined) fire = active.matched === rule.nth;
      else if (rule.probability !== undefined) fire = this.#random() < rule.probability;
      if (!fire) continue;
      active.fired += 1;
      this.#firedTotal += 1;
      fired.push(rule.fault);
    }
    return fired;
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.method && rule.method.toUpperCase() !== target.method) return false;
  if (rule.route !== undefined && rule.route !== target.template) return false;
  if (rule.pathPrefix !== undefined && !target.pathname.startsWith(rule.pathPrefix)) return false;
  return true;
}

export class InvalidFaultRuleError extends Error {
  constructor(message: string) {
    super(`Invalid fault rule: ${message}`);
    this.name = 'InvalidFaultRuleError';
  }
}

const KINDS = new Set([
  'status',
  'reset',
  'latency',
  'truncate',
  'linkLoop',
  'joinedLink',
  'missingLink',
  'expireTokens',
]);

function validateRule(rule: FaultRule): void {
  const fault: unknown = rule?.fault;
  if (typeof fault !== 'object' || fault === null || !('kind' in fault) || !KINDS.has(String(fault.kind))) {
    throw new InvalidFaultRuleError(`fault.kind must be one of ${[...KINDS].join(', ')}`);
  }
  if (rule.fault.kind === 'status' && !(Number.isInteger(rule.fault.status) && rule.fault.status >= 400)) {
    throw new InvalidFaultRuleError('a status fault needs an HTTP error status (e.g. 500 or 503)');
  }
  if (rule.fault.kind === 'latency' && !(typeof rule.fault.ms === 'number' && rule.fault.ms >= 0)) {
    throw new InvalidFaultRuleError('a latency fault needs ms >= 0');
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new InvalidFaultRuleError('probability must be between 0 and 1');
  }
  if (rule.nth !== undefined && !(Number.isInteger(rule.nth) && rule.nth >= 1)) {
    throw new InvalidFaultRuleError('nth must be an integer >= 1');
  }
}
