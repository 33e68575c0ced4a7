import { IdSpace } from './ids.js';
import { hash, Stream, unit } from './random.js';
import { DAY } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStatus, UserStore } from './users.js';

interface FactorKind {
  readonly factorType: string;
  readonly provider: string;
  readonly vendorName: string;
  readonly prefix: string;
}

/** Enrollable factors, weighted by repetition (push and TOTP dominate real orgs, security questions are rare). */
const KINDS: readonly FactorKind[] = [
  { factorType: 'push', provider: 'OKTA', vendorName: 'OKTA', prefix: 'opf' },
  { factorType: 'push', provider: 'OKTA', vendorName: 'OKTA', prefix: 'opf' },
  { factorType: 'push', provider: 'OKTA', vendorName: 'OKTA', prefix: 'opf' },
  { factorType: 'signed_nonce', provider: 'OKTA', vendorName: 'OKTA', prefix: 'pfd' },
  { factorType: 'signed_nonce', provider: 'OKTA', vendorName: 'OKTA', prefix: 'pfd' },
  { factorType: 'token:software:totp', provider: 'OKTA', vendorName: 'OKTA', prefix: 'ost' },
  { factorType: 'token:software:totp', provider: 'GOOGLE', vendorName: 'GOOGLE', prefix: 'uft' },
  { factorType: 'sms', provider: 'OKTA', vendorName: 'OKTA', prefix: 'mbl' },
  { factorType: 'sms', provider: 'OKTA', vendorName: 'OKTA', prefix: 'mbl' },
  { factorType: 'email', provider: 'OKTA', vendorName: 'OKTA', prefix: 'emf' },
  { factorType: 'webauthn', provider: 'FIDO', vendorName: 'FIDO', prefix: 'fwf' },
  { factorType: 'call', provider: 'OKTA', vendorName: 'OKTA', prefix: 'clf' },
  { factorType: 'question', provider: 'OKTA', vendorName: 'OKTA', prefix: 'ufs' },
];
/** Users that were never activated, or are deactivated, have no enrolled factors. */
const NO_FACTORS: ReadonlySet<UserStatus> = new Set(['STAGED', 'PROVISIONED', 'DEPROVISIONED']);
const AUTHENTICATORS = ['YubiKey 5 NFC', 'Touch ID', 'Windows Hello', 'iCloud Keychain'];
const PHONES = ['iPhone 15', 'Pixel 8', 'Galaxy S23', 'iPad Air'];

export interface Factor {
  readonly id: string;
  readonly kind: FactorKind;
  readonly status: 'ACTIVE' | 'PENDING_ACTIVATION';
  readonly createdMs: number;
}

/**
 * Enrolled MFA factors (`/api/v1/users/{id}/factors`): ~88% of ACTIVE users and ~75% of other activated users hold
 * one to three, generated from (seed, user); `reset_factors` empties a user's list (an overlay).
 */
export class FactorStore {
  private readonly idSpaces = new Map<string, IdSpace>();
  private readonly reset = new Set<number>();

  constructor(
    private readonly seed: number,
    private readonly epochMs: number,
    private readonly users: UserStore,
  ) {}

  private ids(prefix: string): IdSpace {
    let space = this.idSpaces.get(prefix);
    if (!space) {
      space = new IdSpace(prefix, this.seed, Stream.factorId + prefix.charCodeAt(0));
      this.idSpaces.set(prefix, space);
    }
    return space;
  }

  factors(u: number): Factor[] {
    if (!this.users.exists(u) || this.reset.has(u) || u >= this.users.generatedCount) return [];
    const status = this.users.status(u);
    if (NO_FACTORS.has(status)) return [];
    const enrolled = unit(this.seed, Stream.factors, u) < (status === 'ACTIVE' ? 0.88 : 0.75);
    if (!enrolled) return [];
    const count = 1 + (hash(this.seed, Stream.factors, u, 1) % 3);
    const out: Factor[] = [];
    const types = new Set<string>();
    const from = this.users.createdMs(u);
    const span = Math.max(DAY, this.epochMs - DAY - from);
    for (let k = 0; k < count; k++) {
      const kind = KINDS[hash(this.seed, Stream.factors, u, 2 + k) % KINDS.length] ?? KINDS[0];
      if (!kind || types.has(kind.factorType)) continue;
      types.add(kind.factorType);
      out.push({
        id: this.ids(kind.prefix).idOf(u * 4 + k),
        kind,
        status: unit(this.seed, Stream.factors, u, 10 + k) < 0.04 ? 'PENDING_ACTIVATION' : 'ACTIVE',
        createdMs: from + (hash(this.seed, Stream.factors, u, 20 + k) % span),
      });
    }
    return out;
  }

  /** `reset_factors`: every enrollment returns to the unenrolled state. */
  resetFactors(u: number): number {
    const had = this.factors(u).length;
    this.reset.add(u);
    return had;
  }

  serialize(u: number, factor: Factor): Record<string, unknown> {
    const userId = this.users.ids.idOf(u);
    const at = oktaTimestamp(factor.createdMs);
    const { factorType, provider, vendorName } = factor.kind;
    const self = `{{origin}}/api/v1/users/${userId}/factors/${factor.id}`;
    return {
      id: factor.id,
      factorType,
      provider,
      vendorName,
      status: factor.status,
      created: at,
      lastUpdated: at,
      profile: this.profile(u, factor),
      _links: {
        self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
        verify: { href: `${self}/verify`, hints: { allow: ['POST'] } },
        user: { href: `{{origin}}/api/v1/users/${userId}`, hints: { allow: ['GET'] } },
      },
    };
  }

  private profile(u: number, factor: Factor): Record<string, unknown> {
    const pick = <T>(items: readonly T[]): T | undefined =>
      items[hash(this.seed, Stream.factors, u, 40) % items.length];
    const phone = `+1555${String(1_000_000 + (u % 9_000_000)).padStart(7, '0')}`;
    switch (factor.kind.factorType) {
      case 'push':
        return {
          credentialId: this.users.login(u),
          deviceType: 'SmartPhone_IPhone',
          name: pick(PHONES) ?? 'iPhone 15',
          platform: 'IOS',
          version: '17.4.1',
        };
      case 'signed_nonce':
        return { credentialId: this.users.login(u), deviceType: 'Desktop', name: 'Okta Verify', platform: 'MACOS' };
      case 'token:software:totp':
        return { credentialId: this.users.login(u) };
      case 'sms':
      case 'call':
        return { phoneNumber: phone };
      case 'email':
        return { email: this.users.login(u) };
      case 'webauthn':
        return {
          authenticatorName: pick(AUTHENTICATORS) ?? 'Touch ID',
          credentialId: `cred-${hash(this.seed, Stream.factors, u, 41).toString(36)}`,
        };
      case 'question':
        return { question: 'disliked_food', questionText: 'What is the food you least liked as a child?' };
      default:
        return {};
    }
  }
}
