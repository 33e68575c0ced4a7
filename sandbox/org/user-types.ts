import { IdSpace } from './ids.js';
import type { FieldType } from './query/grammar.js';
import { Stream } from './random.js';
import {
  CUSTOM_ATTRIBUTES,
  type CustomAttributeSpec,
  customFieldType,
  STANDARD_PROFILE_ATTRIBUTES,
  USER_TYPE_ATTRIBUTES,
  userSchemaBody,
} from './schema.js';
import { DAY, YEAR } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

const TYPES: readonly { name: string; displayName: string; description: string }[] = [
  { name: 'user', displayName: 'User', description: 'Okta user profile template with default permission settings' },
  { name: 'contractor', displayName: 'Contractor', description: 'External contractors with limited access' },
  { name: 'serviceAccount', displayName: 'Service account', description: 'Non-human accounts used by integrations' },
];

/**
 * User types (at most 10; index 0 is the default) and their profile schemas. Each type's `_links.schema` points at
 * its schema: the default type's at `/api/v1/meta/schemas/user/default`, the others at their `osc…` ids.
 *
 * Each type's schema has the shared custom attributes plus its own (USER_TYPE_ATTRIBUTES). Tests change schemas
 * while the org runs (`defineAttribute`, `removeAttribute`) to see how runs meet schema drift; the admin API then
 * validates profile updates against the changed schema. (Search push-down knows only the generated attributes.)
 */
export class UserTypeStore {
  readonly ids: IdSpace;
  readonly schemaIds: IdSpace;
  private readonly createdMs: number;
  /** Per type index: its custom attributes, in schema order. */
  private readonly custom: CustomAttributeSpec[][];
  /** Per type index: when its schema last changed (ms), or undefined for the generated one. */
  private readonly changedMs: (number | undefined)[];

  constructor(
    seed: number,
    private readonly epochMs: number,
    private readonly adminId: string,
  ) {
    this.ids = new IdSpace('oty', seed, Stream.userTypeId);
    this.schemaIds = new IdSpace('osc', seed, Stream.schemaId);
    this.createdMs = epochMs - 5 * YEAR;
    this.custom = TYPES.map((t) => [...CUSTOM_ATTRIBUTES, ...(USER_TYPE_ATTRIBUTES[t.name] ?? [])]);
    this.changedMs = TYPES.map(() => undefined);
  }

  /** Type names (`user`, `contractor`, `serviceAccount`), by index. */
  get typeNames(): string[] {
    return TYPES.map((t) => t.name);
  }

  /** The custom attributes of one type's schema. */
  customAttributes(i: number): readonly CustomAttributeSpec[] {
    return this.custom[i] ?? [];
  }

  /**
   * Adds a custom attribute to the schemas of the named types (default: every type), or replaces the one of that
   * name (a type change). `atMs` stamps the schemas' lastUpdated.
   */
  defineAttribute(attr: CustomAttributeSpec, atMs: number, typeNames: readonly string[] = this.typeNames): void {
    for (const i of this.indexesOf(typeNames)) {
      const list = this.custom[i] ?? [];
      const at = list.findIndex((a) => a.name === attr.name);
      if (at >= 0) list[at] = attr;
      else list.push(attr);
      this.changedMs[i] = atMs;
    }
  }

  /** Removes a custom attribute from the schemas of the named types (default: every type). */
  removeAttribute(name: string, atMs: number, typeNames: readonly string[] = this.typeNames): void {
    for (const i of this.indexesOf(typeNames)) {
      const list = this.custom[i] ?? [];
      const at = list.findIndex((a) => a.name === name);
      if (at >= 0) list.splice(at, 1);
      this.changedMs[i] = atMs;
    }
  }

  /** How an attribute compares, from the schemas as they are now (the first type that defines it). */
  attributeType(name: string): FieldType | undefined {
    if (STANDARD_PROFILE_ATTRIBUTES.includes(name)) return 'string';
    for (const list of this.custom) {
      const attr = list.find((a) => a.name === name);
      if (attr !== undefined) return customFieldType(attr);
    }
    return undefined;
  }

  private indexesOf(typeNames: readonly string[]): number[] {
    return typeNames.map((name) => {
      const i = TYPES.findIndex((t) => t.name === name);
      if (i < 0) throw new RangeError(`No user type named ${name}`);
      return i;
    });
  }

  get count(): number {
    return TYPES.length;
  }

  get typeIds(): string[] {
    return TYPES.map((_, i) => this.ids.idOf(i));
  }

  /** Resolves a type id (or `default`) to its index. */
  resolve(idOrAlias: string): number | undefined {
    if (idOrAlias === 'default') return 0;
    const i = this.ids.indexOf(idOrAlias);
    return i !== undefined && i < TYPES.length ? i : undefined;
  }

  schemaPathId(i: number): string {
    return i === 0 ? 'default' : this.schemaIds.idOf(i);
  }

  /** Resolves a schema id (or `default`) to its type index. */
  resolveSchema(idOrAlias: string): number | undefined {
    if (idOrAlias === 'default') return 0;
    const i = this.schemaIds.indexOf(idOrAlias);
    return i !== undefined && i < TYPES.length ? i : undefined;
  }

  serialize(i: number): Record<string, unknown> {
    const type = TYPES[i];
    if (!type) throw new RangeError(`No user type at index ${i}`);
    const id = this.ids.idOf(i);
    return {
      id,
      displayName: type.displayName,
      name: type.name,
      description: type.description,
      createdBy: this.adminId,
      lastUpdatedBy: this.adminId,
      created: oktaTimestamp(this.createdMs + i * DAY),
      lastUpdated: oktaTimestamp(this.createdMs + i * DAY + 30 * DAY),
      default: i === 0,
      _links: {
        self: { href: `{{origin}}/api/v1/meta/types/user/${id}`, method: 'GET' },
        schema: { href: `{{origin}}/api/v1/meta/schemas/user/${this.schemaPathId(i)}`, method: 'GET' },
      },
    };
  }

  schema(i: number): Record<string, unknown> {
    const type = TYPES[i];
    if (!type) throw new RangeError(`No user type at index ${i}`);
    const lastUpdatedMs = this.changedMs[i] ?? this.epochMs - 10 * DAY;
    return userSchemaBody(this.schemaPathId(i), type.name, this.createdMs + i * DAY, lastUpdatedMs, this.custom[i]);
  }
}
