/**
 * The Okta credentials secret (a JSON string in Secrets Manager), validated with zod. Errors name the offending
 * key and what is expected, never a value (the secret's content must not reach logs).
 */
import { z } from 'zod';
import { OktaCredentialsError } from '../errors.js';

const nonEmpty = z.string().trim().min(1);
const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)));

const jwkSchema = z.looseObject({ kty: z.enum(['RSA', 'EC']), d: nonEmpty, kid: z.string().optional() });
const pemSchema = z.string().refine((s) => /-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(s));
const scopesSchema = z
  .union([z.array(nonEmpty).min(1), nonEmpty.transform((s) => s.split(/\s+/).filter(Boolean))])
  .pipe(z.array(z.string()).min(1));

const apiTokenSchema = z.object({ type: z.literal('apiToken'), apiToken: nonEmpty });

const oauth2Schema = z.looseObject({
  type: z.literal('oauth2'),
  clientId: nonEmpty,
  clientSecret: nonEmpty,
  refreshToken: nonEmpty,
  tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
  /** First consent: Okta's refresh tokens expire 90 days after it, whatever the rotations. */
  consentedAt: isoDate.optional(),
  refreshTokenIssuedAt: isoDate.optional(),
  refreshTokenRotatedAt: isoDate.optional(),
  scopes: scopesSchema.optional(),
});

const privateKeyJwtSchema = z.object({
  type: z.literal('privateKeyJwt'),
  clientId: nonEmpty,
  privateKey: z.union([jwkSchema, pemSchema]),
  keyId: nonEmpty.optional(),
  scopes: scopesSchema,
});

const secretSchema = z.discriminatedUnion('type', [apiTokenSchema, oauth2Schema, privateKeyJwtSchema]);

export type OktaSecret = z.infer<typeof secretSchema>;
export type ApiTokenSecret = z.infer<typeof apiTokenSchema>;
export type OAuth2RefreshSecret = z.infer<typeof oauth2Schema>;
export type PrivateKeyJwtSecret = z.infer<typeof privateKeyJwtSchema>;

const EXPECTED: Record<string, string> = {
  type: '"apiToken", "oauth2" or "privateKeyJwt"',
  apiToken: 'a non-empty string (the Okta API token)',
  clientId: 'a non-empty string (the OAuth app client id, 0oa…)',
  clientSecret: 'a non-empty string',
  refreshToken: 'a non-empty string (run `okta-flow connect` to obtain one)',
  tokenEndpointAuthMethod: '"client_secret_basic" or "client_secret_post"',
  consentedAt: 'an ISO-8601 date',
  refreshTokenIssuedAt: 'an ISO-8601 date',
  refreshTokenRotatedAt: 'an ISO-8601 date',
  privateKey: 'a private JWK object (kty RSA or EC, with "d") or a PEM "-----BEGIN PRIVATE KEY-----" string',
  keyId: 'a non-empty string (the key id registered with the app)',
  scopes: 'a non-empty array of scope strings, e.g. ["okta.users.read"]',
};

/** AppFlow and hand-written secrets: accept `apiKey` for `apiToken`, and infer a missing `type`. */
function normalise(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  if (out.apiToken === undefined && typeof out.apiKey === 'string') {
    out.apiToken = out.apiKey;
    delete out.apiKey;
  }
  if (out.type === undefined) {
    if (out.apiToken !== undefined) out.type = 'apiToken';
    else if (out.refreshToken !== undefined) out.type = 'oauth2';
    else if (out.privateKey !== undefined) out.type = 'privateKeyJwt';
  }
  return out;
}

/** Parse and validate the secret JSON string (or an already parsed object). */
export function parseOktaSecret(input: string | Record<string, unknown>): OktaSecret {
  let raw: unknown;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      // JSON.parse messages quote part of the input: never attach them.
      throw new OktaCredentialsError(
        'The Okta credentials secret is not valid JSON. Store a JSON object such as ' +
          '{"type":"apiToken","apiToken":"…"} (see README, "Credentials").',
      );
    }
  } else {
    raw = input;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OktaCredentialsError('The Okta credentials secret must be a JSON object (see README, "Credentials").');
  }
  const normalised = normalise(raw as Record<string, unknown>);
  const result = secretSchema.safeParse(normalised);
  if (result.success) {
    const secret = result.data;
    if (
      secret.type === 'privateKeyJwt' &&
      !secret.keyId &&
      !(typeof secret.privateKey === 'object' && secret.privateKey.kid)
    ) {
      throw new OktaCredentialsError(
        'The Okta credentials secret (type "privateKeyJwt") needs key "keyId" (or a "kid" in the privateKey JWK): ' +
          EXPECTED.keyId,
        ['keyId'],
      );
    }
    return secret;
  }
  const type = typeof normalised.type === 'string' ? normalised.type : undefined;
  const problems: string[] = [];
  const keys: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'type';
    const top = String(issue.path[0] ?? 'type');
    if (keys.includes(key)) continue;
    keys.push(key);
    const present = issue.path.length > 0 && (normalised as Record<string, unknown>)[top] !== undefined;
    const expected = EXPECTED[top] ?? 'a valid value';
    problems.push(`key "${key}" is ${present ? 'invalid' : 'missing'} (expected ${expected})`);
  }
  throw new OktaCredentialsError(
    `The Okta credentials secret${type ? ` (type "${type}")` : ''} is not usable: ${problems.join('; ')}. ` +
      'See README, "Credentials".',
    keys,
  );
}
