import { describe, expect, it } from 'vitest';
import { KNOWN_UNDOCUMENTED, unexplainedUndocumented } from '../../contract/known-undocumented.js';

describe('unexplainedUndocumented', () => {
  it('explains listed paths for their operations, in lists and single records, with * as one segment', () => {
    expect(unexplainedUndocumented('GET /api/v1/apps', ['/*/settings/app'])).toEqual([]);
    expect(unexplainedUndocumented('GET /api/v1/apps/{appId}', ['/settings/app'])).toEqual([]);
    expect(
      unexplainedUndocumented('GET /api/v1/meta/schemas/user/{schemaId}', [
        '/definitions/custom/properties/skills/items',
      ]),
    ).toEqual([]);
  });

  it('reports paths not listed, or listed for another operation', () => {
    expect(unexplainedUndocumented('GET /api/v1/apps', ['/*/settings/ap', '/*/colour'])).toEqual([
      '/*/settings/ap',
      '/*/colour',
    ]);
    expect(unexplainedUndocumented('GET /api/v1/users', ['/*/settings/app'])).toEqual(['/*/settings/app']);
    expect(
      unexplainedUndocumented('GET /api/v1/meta/schemas/user/{schemaId}', ['/definitions/custom/properties/a/b/items']),
    ).toEqual(['/definitions/custom/properties/a/b/items']);
  });

  it('gives every entry a reason', () => {
    for (const entry of KNOWN_UNDOCUMENTED) expect(entry.reason.length, entry.path).toBeGreaterThan(40);
  });
});
