import { IdSpace } from './ids.js';
import { createRng, hash, Stream, unit } from './random.js';
import { generationWindow } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

/** Every documented signOnMode, then one Okta emits but does not document (clients must not choke on it). */
export const SIGN_ON_MODES = [
  'AUTO_LOGIN',
  'BASIC_AUTH',
  'BOOKMARK',
  'BROWSER_PLUGIN',
  'OPENID_CONNECT',
  'SAML_1_1',
  'SAML_2_0',
  'SECURE_PASSWORD_STORE',
  'WS_FEDERATION',
] as const;
export const UNKNOWN_SIGN_ON_MODE = 'MFA_AS_SERVICE';
/** App 10 is the directory (AD) integration that sources AD-style APP_GROUPs; app 6 (SAML 2.0) pushes groups. */
export const DIRECTORY_APP_INDEX = 10;
export const PROVISIONING_APP_INDEX = 6;
export const MIN_APPS = 11;

export type AppRecord = Record<string, unknown>;

/** Okta Expression Language placeholders such as `${source.login}` (built, so they are not template literals). */
function oktaExpression(expression: string): string {
  return `$${'{'}${expression}}`;
}

export interface AppStoreOptions {
  readonly seed: number;
  readonly count: number;
  readonly epochMs: number;
  readonly groupCount: number;
}

const TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  BASIC_AUTH: 'template_basic_auth',
  BOOKMARK: 'bookmark',
  BROWSER_PLUGIN: 'template_swa',
  OPENID_CONNECT: 'oidc_client',
  SECURE_PASSWORD_STORE: 'template_sps',
  WS_FEDERATION: 'template_wsfed',
};

/** Applications (generated on demand) under an overlay of admin changes; assignments live in app-assignments.ts. */
export class AppStore {
  readonly ids: IdSpace;
  private readonly stored = new Map<number, AppRecord>();
  private readonly deleted = new Set<number>();
  private readonly startMs: number;
  private readonly endMs: number;

  constructor(private readonly options: AppStoreOptions) {
    this.ids = new IdSpace('0oa', options.seed, Stream.appId);
    const window = generationWindow(options.epochMs);
    this.startMs = window.startMs;
    this.endMs = window.endMs;
  }

  get size(): number {
    return this.options.count;
  }

  get liveCount(): number {
    return this.size - this.deleted.size;
  }

  exists(a: number): boolean {
    return a >= 0 && a < this.size && !this.deleted.has(a);
  }

  resolve(id: string): number | undefined {
    const a = this.ids.indexOf(id);
    return a !== undefined && this.exists(a) ? a : undefined;
  }

  signOnMode(a: number): string {
    if (a < SIGN_ON_MODES.length) return SIGN_ON_MODES[a] ?? 'BOOKMARK';
    if (a === SIGN_ON_MODES.length) return UNKNOWN_SIGN_ON_MODE;
    if (a === DIRECTORY_APP_INDEX) return 'AUTO_LOGIN';
    return SIGN_ON_MODES[hash(this.options.seed, Stream.appRecord, a, 1) % SIGN_ON_MODES.length] ?? 'BOOKMARK';
  }

  status(a: number): 'ACTIVE' | 'INACTIVE' {
    const stored = this.stored.get(a);
    if (stored) return stored.status as 'ACTIVE' | 'INACTIVE';
    if (a === 3) return 'INACTIVE';
    if (a <= DIRECTORY_APP_INDEX) return 'ACTIVE';
    return unit(this.options.seed, Stream.appRecord, a, 2) < 0.2 ? 'INACTIVE' : 'ACTIVE';
  }

  createdMs(a: number): number {
    return this.startMs + Math.floor((a + 0.5) * ((this.endMs - this.startMs) / (4 * Math.max(1, this.size))));
  }

  data(a: number): AppRecord {
    const stored = this.stored.get(a);
    if (stored) return structuredClone(stored);
    return this.generate(a);
  }

  put(a: number, record: AppRecord): void {
    this.stored.set(a, { ...record, id: this.ids.idOf(a) });
  }

  delete(a: number): void {
    this.deleted.add(a);
    this.stored.delete(a);
  }

  serialize(a: number): AppRecord {
    const record = this.data(a);
    const id = record.id as string;
    const name = String(record.name);
    const links: Record<string, unknown> = {
      help: { href: `{{origin}}/app/${name}/${id}/setup/help/SAML_2_0/external-doc`, type: 'text/html' },
      users: { href: `{{origin}}/api/v1/apps/${id}/users` },
      groups: { href: `{{origin}}/api/v1/apps/${id}/groups` },
      logo: [{ name: 'medium', href: '{{origin}}/assets/img/logos/default.png', type: 'image/png' }],
      appLinks: [{ name: 'login', href: `{{origin}}/home/${name}/${id}/login`, type: 'text/html' }],
      self: { href: `{{origin}}/api/v1/apps/${id}` },
    };
    if (record.status === 'ACTIVE') links.deactivate = { href: `{{origin}}/api/v1/apps/${id}/lifecycle/deactivate` };
    else links.activate = { href: `{{origin}}/api/v1/apps/${id}/lifecycle/activate` };
    if (String(record.signOnMode).startsWith('SAML')) {
      links.metadata = { href: `{{origin}}/api/v1/apps/${id}/sso/saml/metadata`, type: 'application/xml' };
    }
    record._links = links;
    return record;
  }

  private generate(a: number): AppRecord {
    const seed = this.options.seed;
    const rng = createRng(seed, Stream.appRecord, a);
    const id = this.ids.idOf(a);
    const mode = this.signOnMode(a);
    const status = this.status(a);
    const createdMs = this.createdMs(a);
    const lastUpdatedMs = createdMs + Math.floor(rng.next() * (this.endMs - createdMs));
    const slug = `examplecorp${a}`;
    const name =
      a === DIRECTORY_APP_INDEX ? 'active_directory' : (TEMPLATE_NAMES[mode] ?? `${slug}_${mode.toLowerCase()}`);
    const label =
      a === DIRECTORY_APP_INDEX ? 'corp.example.com' : `Example ${mode.replace(/_/g, ' ').toLowerCase()} app ${a}`;
    const kid = `kid-${hash(seed, Stream.appRecord, a, 9).toString(36)}${a}`;
    const url = `https://app${a}.example.com`;

    let credentials: Record<string, unknown> = {
      userNameTemplate: { template: oktaExpression('source.login'), type: 'BUILT_IN' },
    };
    let settings: Record<string, unknown> = { app: {}, notifications: {} };
    switch (mode) {
      case 'AUTO_LOGIN':
      case 'BASIC_AUTH':
      case 'BROWSER_PLUGIN':
      case 'SECURE_PASSWORD_STORE': {
        const shared = rng.chance(0.5) || a === 1;
        credentials = {
          ...credentials,
          scheme: shared ? 'SHARED_USERNAME_AND_PASSWORD' : 'EDIT_USERNAME_AND_PASSWORD',
          ...(shared ? { userName: `svc-${a}@example.com`, password: {} } : {}),
          revealPassword: false,
          signing: {},
        };
        if (mode === 'AUTO_LOGIN') settings = { app: {}, signOn: { loginUrl: `${url}/login` } };
        if (mode === 'BASIC_AUTH') settings = { app: { authURL: `${url}/auth`, url } };
        if (mode === 'BROWSER_PLUGIN') {
          settings = {
            app: {
              buttonField: 'btn-login',
              passwordField: 'password',
              usernameField: 'username',
              url: `${url}/login`,
            },
          };
        }
        if (mode === 'SECURE_PASSWORD_STORE') {
          settings = { app: { passwordField: '#password', url: `${url}/login`, usernameField: '#username' } };
        }
        break;
      }
      case 'BOOKMARK':
        settings = { app: { requestIntegration: false, url } };
        break;
      case 'OPENID_CONNECT':
        credentials = {
          ...credentials,
          signing: { kid },
          oauthClient: {
            autoKeyRotation: true,
            client_id: id,
            client_secret: `cs-${hash(seed, Stream.appRecord, a, 11).toString(36)}${hash(seed, Stream.appRecord, a, 12).toString(36)}-secret`,
            pkce_required: true,
            token_endpoint_auth_method: 'client_secret_basic',
          },
        };
        settings = {
          app: {},
          oauthClient: {
            client_uri: url,
            redirect_uris: [`${url}/callback`],
            post_logout_redirect_uris: [`${url}/logout`],
            response_types: ['code'],
            grant_types: ['authorization_code', 'refresh_token'],
            application_type: 'web',
            consent_method: 'REQUIRED',
            issuer_mode: 'ORG_URL',
          },
        };
        break;
      case 'SAML_1_1':
        credentials = { ...credentials, signing: { kid } };
        settings = { app: { audienceOverride: null, defaultRelayState: null }, signOn: {} };
        break;
      case 'SAML_2_0':
        credentials = { ...credentials, signing: { kid } };
        settings = {
          app: {},
          signOn: {
            defaultRelayState: '',
            ssoAcsUrl: `${url}/saml/acs`,
            recipient: `${url}/saml/acs`,
            destination: `${url}/saml/acs`,
            audience: `${url}/saml/metadata`,
            idpIssuer: `http://www.okta.com/${oktaExpression('org.externalKey')}`,
            subjectNameIdTemplate: oktaExpression('user.userName'),
            subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
            responseSigned: true,
            assertionSigned: true,
            signatureAlgorithm: 'RSA_SHA256',
            digestAlgorithm: 'SHA256',
            honorForceAuthn: true,
            authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
            requestCompressed: false,
            allowMultipleAcsEndpoints: false,
            acsEndpoints: [],
            attributeStatements: [],
            slo: { enabled: a % 2 === 0 },
          },
        };
        break;
      case 'WS_FEDERATION':
        credentials = { ...credentials, signing: { kid } };
        settings = {
          app: {
            audienceRestriction: `urn:example:${a}`,
            groupValueFormat: 'windowsDomainQualifiedName',
            wReplyURL: `${url}/wsfed`,
            nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
            authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
            siteURL: url,
            usernameAttribute: 'username',
          },
        };
        break;
      default:
        settings = { app: {} };
        break;
    }

    const record: AppRecord = {
      id,
      orn: `orn:okta:idp:00o${this.ids.head.slice(3)}:apps:${name}:${id}`,
      name,
      label,
      status,
      lastUpdated: oktaTimestamp(lastUpdatedMs),
      created: oktaTimestamp(createdMs),
      accessibility: { selfService: false },
      visibility: {
        autoLaunch: false,
        autoSubmitToolbar: false,
        hide: { iOS: false, web: false },
        appLinks: { login: true },
      },
      features: a === PROVISIONING_APP_INDEX ? ['GROUP_PUSH', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES'] : [],
      signOnMode: mode,
      credentials,
      settings,
    };
    if (rng.chance(0.5)) record.profile = { owner: `team-${a % 4}` };
    return record;
  }
}
