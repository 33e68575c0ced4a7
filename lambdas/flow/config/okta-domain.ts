/**
 * Okta org domains okta-flow will talk to. Tokens go only to these hosts (DESIGN.md decision 7): a mistyped or
 * hostile domain in a config must not receive the org's credentials.
 */
import { OKTA_DOMAIN_SUFFIXES } from '../../okta/domain.js';

export { OKTA_DOMAIN_SUFFIXES };

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What is wrong with a configured hostname, or null. */
export function hostnameProblem(value: string): string | null {
  if (/^[a-z]+:\/\//i.test(value)) return `${JSON.stringify(value)} has a scheme: give the host name only`;
  if (value.includes('/')) return `${JSON.stringify(value)} has a path: give the host name only`;
  if (value !== value.toLowerCase()) return `${JSON.stringify(value)} must be lower case`;
  if (!HOSTNAME.test(value)) return `${JSON.stringify(value)} is not a host name`;
  return null;
}

export function isOktaHostedDomain(domain: string): boolean {
  return OKTA_DOMAIN_SUFFIXES.some((suffix) => domain.endsWith(suffix) && domain.length > suffix.length);
}
