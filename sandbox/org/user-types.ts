import { IdSpace } from './ids.js';
import { Stream } from './random.js';
import { userSchemaBody } from './schema.js';
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
 */
export class UserTypeStore {
  readonly ids: IdSpace;
  readonly schemaIds: IdSpace;
  private readonly createdMs: number;

  constructor(
    seed: number,
    private readonly epochMs: number,
    private readonly adminId: string,
  ) {
    this.ids = new IdSpace('oty', seed, Stream.userTypeId);
    this.schemaIds = new IdSpace('osc', seed, Stream.schemaId);
    this.createdMs = epochMs - 5 * YEAR;
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
    return userSchemaBody(this.schemaPathId(i), type.name, this.createdMs + i * DAY, this.epochMs - 10 * DAY);
  }
}
