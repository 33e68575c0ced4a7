/**
 * Plan-time resolution of the org's custom user attributes. PlanRun reads the profile schema of every user type
 * (`/api/v1/meta/types/user` → each type's `_links.schema`; the default type's is `/api/v1/meta/schemas/user/default`),
 * merges them (catalog/custom-attributes.ts), applies schema drift against the committed lake columns
 * (lake/column-drift.ts), and stores the result in the state store, content-addressed
 * (`<prefix>/_state/schemas/User/<sha256>.json`). The plan carries only the key and the hash (Step Functions
 * payloads stay small); every later step of the run reads the very same resolution and checks its hash.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { columnForType } from '../../lake/column-drift.js';
import { type LakeColumnsDoc, readLakeColumns } from '../../lake/lake-columns.js';
import {
  type CustomAttribute,
  mergeUserSchemas,
  type UserTypeSchema,
  userDef,
  withResolvedAttributes,
} from '../../okta/catalog/index.js';
import type { ObjectDef } from '../../okta/catalog/types.js';
import { OktaApiError, OktaAuthError, OktaScopeError } from '../../okta/errors.js';
import type { OktaApi } from '../../okta/types.js';
import { columnsFromFields } from '../../output/columns.js';
import { ConflictError } from '../state/errors.js';
import { resolvedSchemaKey } from '../state/state-keys.js';
import type { StateStore } from '../state/state-store.js';
import { RunStateError } from './errors.js';

const DEFAULT_SCHEMA_PATH = '/api/v1/meta/schemas/user/default';
const SCHEMA_PATH_PREFIX = '/api/v1/meta/schemas/user/';

const attributeSchema = z.object({
  name: z.string(),
  column: z.string(),
  type: z.string(),
  items: z.string().optional(),
  title: z.string(),
  description: z.string(),
  sensitive: z.boolean(),
  userTypes: z.array(z.string()),
  conflict: z.array(z.object({ userType: z.string(), type: z.string() })).optional(),
});

const resolvedSchemaSchema = z.object({
  v: z.literal(1),
  object: z.literal('User'),
  /** User types whose schemas were read. */
  userTypes: z.array(z.string()),
  attributes: z.array(attributeSchema),
  /** What could not be read or merged cleanly (missing scopes, type conflicts), for logs and error messages. */
  notes: z.array(z.string()),
});

export type ResolvedSchema = z.infer<typeof resolvedSchemaSchema>;

/** Where a run's resolved schema is and what it hashes to. */
export interface SchemaRef {
  readonly key: string;
  readonly sha256: string;
}

const userTypesSchema = z.array(
  z
    .object({
      name: z.string().min(1),
      default: z.boolean().optional(),
      _links: z.object({ schema: z.object({ href: z.string() }).loose() }).loose(),
    })
    .loose(),
);

/** A 403 for a missing scope: the run goes on without what that scope reads, and says so. */
function isScopeRefusal(error: unknown): error is Error {
  return (
    error instanceof OktaScopeError ||
    (error instanceof OktaApiError && error.status === 403 && !(error instanceof OktaAuthError))
  );
}

/** The same-origin schema path of a user type's `_links.schema.href`; anything else is refused. */
function schemaPath(api: OktaApi, href: string): string {
  const url = new URL(href, api.origin);
  if (url.origin !== new URL(api.origin).origin || !url.pathname.startsWith(SCHEMA_PATH_PREFIX)) {
    throw new RunStateError(
      `Okta listed a user type schema at ${url.origin}${url.pathname}, which is not a user schema of this org; ` +
        'refusing to read it.',
    );
  }
  return url.pathname;
}

/** Every user type's profile schema the credentials can read, and notes on what they cannot. */
export async function fetchUserTypeSchemas(
  api: OktaApi,
  signal?: AbortSignal,
): Promise<{ schemas: UserTypeSchema[]; notes: string[] }> {
  const init = signal ? { signal } : {};
  const notes: string[] = [];
  let types: { name: string; path: string }[];
  try {
    const parsed = userTypesSchema.safeParse(await api.getJson('/api/v1/meta/types/user', init));
    if (!parsed.success) {
      throw new RunStateError(`Okta's user type list is not in the expected shape: ${z.prettifyError(parsed.error)}`);
    }
    types = parsed.data.map((t) => ({
      name: t.name,
      path: t.default === true ? DEFAULT_SCHEMA_PATH : schemaPath(api, t._links.schema.href),
    }));
    if (!types.some((t) => t.path === DEFAULT_SCHEMA_PATH)) types.unshift({ name: 'user', path: DEFAULT_SCHEMA_PATH });
  } catch (error) {
    if (!isScopeRefusal(error)) throw error;
    notes.push(
      'user types are not readable (grant okta.userTypes.read): only the default user type’s custom attributes are known',
    );
    types = [{ name: 'user', path: DEFAULT_SCHEMA_PATH }];
  }
  const schemas: UserTypeSchema[] = [];
  for (const type of types) {
    try {
      schemas.push({ userType: type.name, schema: await api.getJson(type.path, init) });
    } catch (error) {
      if (!isScopeRefusal(error)) throw error;
      notes.push(
        `the profile schema of user type ${type.name} is not readable (grant okta.schemas.read): its custom ` +
          'attributes are unknown',
      );
    }
  }
  return { schemas, notes };
}

/**
 * The custom attributes of the org for a run: merged over user types, each with the column its type is written to
 * now (a type change against the committed lake columns moves it to `<column>__<type>`).
 */
export function resolveAttributes(schemas: readonly UserTypeSchema[], lake: LakeColumnsDoc | null): CustomAttribute[] {
  const builtIn = userDef.fields.filter((f) => !f.custom);
  const merged = mergeUserSchemas(builtIn, schemas);
  if (lake === null) return merged;
  const def = withResolvedAttributes(userDef, merged);
  return merged.map((attr) => {
    const field = def.fields.find((f) => f.custom && f.column === attr.column);
    const column = field === undefined ? undefined : columnsFromFields([field])[0];
    if (column === undefined) return attr;
    return { ...attr, column: columnForType(attr.column, column.type, lake.records) };
  });
}

/** Reads the schemas, resolves them and stores the result; the plan carries the returned reference. */
export async function resolveUserSchema(
  api: OktaApi,
  state: StateStore,
  signal?: AbortSignal,
): Promise<{ ref: SchemaRef; resolved: ResolvedSchema }> {
  const { schemas, notes } = await fetchUserTypeSchemas(api, signal);
  const attributes = resolveAttributes(schemas, await readLakeColumns(state, 'User'));
  for (const attr of attributes) {
    if (attr.conflict !== undefined) {
      notes.push(
        `profile.${attr.name}: user types disagree on its type (${attr.conflict
          .map((c) => `${c.userType}: ${c.type}`)
          .join(', ')}); it is written as text and cannot be filtered`,
      );
    }
  }
  const resolved: ResolvedSchema = {
    v: 1,
    object: 'User',
    userTypes: schemas.map((s) => s.userType),
    attributes: attributes.map(({ conflict, userTypes, ...rest }) => ({
      ...rest,
      userTypes: [...userTypes],
      ...(conflict === undefined ? {} : { conflict: conflict.map((c) => ({ ...c })) }),
    })),
    notes,
  };
  const body = JSON.stringify(resolvedSchemaSchema.parse(resolved));
  const sha256 = createHash('sha256').update(body).digest('hex');
  const key = resolvedSchemaKey('User', sha256);
  try {
    await state.putDocument(key, body, null);
  } catch (error) {
    // Content-addressed: an existing document with this hash is this very resolution (an earlier run's).
    if (!(error instanceof ConflictError)) throw error;
  }
  return { ref: { key, sha256 }, resolved };
}

/** The resolution a plan refers to, checked against its hash. */
export async function loadResolvedSchema(state: StateStore, ref: SchemaRef): Promise<ResolvedSchema> {
  const stored = await state.getDocument(ref.key);
  if (stored === null) {
    throw new RunStateError(
      `The run's resolved schema ${ref.key} is missing from the state store. Start a new run (it resolves again).`,
    );
  }
  if (createHash('sha256').update(stored.body).digest('hex') !== ref.sha256) {
    throw new RunStateError(`The run's resolved schema ${ref.key} does not match its hash; start a new run.`);
  }
  const parsed = resolvedSchemaSchema.safeParse(JSON.parse(stored.body));
  if (!parsed.success) throw new RunStateError(`The run's resolved schema ${ref.key} is not what okta-flow wrote.`);
  return parsed.data;
}

/** The object definition a run works with: User with its resolved custom attributes; the others as catalogued. */
export function resolvedDef(def: ObjectDef, resolved: ResolvedSchema | null): ObjectDef {
  return resolved === null || def.name !== 'User' ? def : withResolvedAttributes(def, resolved.attributes);
}
