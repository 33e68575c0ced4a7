import { describe, expect, it } from 'vitest';
import { isSameOrigin, validateOktaDomain } from '../../../../lambdas/okta/domain.js';
import { InvalidOktaDomainError } from '../../../../lambdas/okta/errors.js';

describe('validateOktaDomain', () => {
  it.each([
    ['acme.okta.com', 'https://acme.okta.com'],
    ['https://acme.okta.com/', 'https://acme.okta.com'],
    ['ACME.OKTAPREVIEW.COM', 'https://acme.oktapreview.com'],
    ['dev-1.okta-emea.com', 'https://dev-1.okta-emea.com'],
    ['agency.okta-gov.com', 'https://agency.okta-gov.com'],
    ['unit.okta.mil', 'https://unit.okta.mil'],
    ['https://acme.okta.com:443', 'https://acme.okta.com'],
  ])('accepts %s', (input, origin) => {
    expect(validateOktaDomain(input)).toBe(origin);
  });

  it('accepts a configured custom domain and nothing else', () => {
    expect(validateOktaDomain('login.acme.com', { customDomains: ['login.acme.com'] })).toBe('https://login.acme.com');
    expect(() => validateOktaDomain('sso.acme.com', { customDomains: ['login.acme.com'] })).toThrow(
      InvalidOktaDomainError,
    );
  });

  it.each(['okta.com', 'acme.okta.com.evil.example', 'evilokta.com', 'acme.oktapreview.co', 'example.com'])(
    'rejects %s and says what is allowed',
    (input) => {
      expect(() => validateOktaDomain(input)).toThrow(/okta\.com, \.oktapreview\.com, \.okta-emea\.com.*customDomains/);
    },
  );

  it('rejects http, other ports, paths, queries and credentials', () => {
    expect(() => validateOktaDomain('http://acme.okta.com')).toThrow(/must use https/);
    expect(() => validateOktaDomain('https://acme.okta.com:8443')).toThrow(/default https port/);
    expect(() => validateOktaDomain('https://acme.okta.com/oauth2/default')).toThrow(/without a path/);
    expect(() => validateOktaDomain('https://acme.okta.com/?x=1')).toThrow(/without a path/);
    expect(() => validateOktaDomain('https://u:p@acme.okta.com')).toThrow(/user name or password/);
    expect(() => validateOktaDomain('  ')).toThrow(/empty/);
  });

  it('accepts loopback only with allowLoopback', () => {
    expect(() => validateOktaDomain('http://127.0.0.1:8080')).toThrow(/allowLoopback/);
    expect(() => validateOktaDomain('http://localhost:3000')).toThrow(InvalidOktaDomainError);
    expect(validateOktaDomain('http://127.0.0.1:8080', { allowLoopback: true })).toBe('http://127.0.0.1:8080');
    expect(validateOktaDomain('http://localhost:3000/', { allowLoopback: true })).toBe('http://localhost:3000');
  });

  it('compares origins exactly', () => {
    expect(isSameOrigin('https://acme.okta.com/api/v1/users?after=1', 'https://acme.okta.com')).toBe(true);
    expect(isSameOrigin('https://acme.okta.com:444/api', 'https://acme.okta.com')).toBe(false);
    expect(isSameOrigin('http://acme.okta.com/api', 'https://acme.okta.com')).toBe(false);
    expect(isSameOrigin('not a url', 'https://acme.okta.com')).toBe(false);
  });
});
