import { describe, expect, it } from 'vitest';
import { extractSubset, OpenApiSubsetError, type SpecSource } from '../../../scripts/openapi-subset/extract.js';
import { stableStringify } from '../../../scripts/openapi-subset/stable-stringify.js';
import type { WantedOperation } from '../../../scripts/openapi-subset/wanted-operations.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function spec(): SpecSource {
  return {
    key: 'management',
    file: 'management-minimal.yaml',
    doc: {
      openapi: '3.0.3',
      info: { title: 'Okta Admin Management', version: '2026.06.3', description: 'long text' },
      paths: {
        '/api/v1/things/{thingId}': {
          parameters: [{ $ref: '#/components/parameters/pathThingId' }],
          get: {
            operationId: 'getThing',
            description: 'drop me',
            tags: ['Thing'],
            security: [{ oauth2: ['okta.things.read'] }],
            responses: {
              '200': {
                description: 'OK',
                content: {
                  'application/json': {
                    schema: ref('Thing'),
                    examples: { Bad: { $ref: '#/components/examples/WithRef' } },
                  },
                },
              },
            },
          },
          delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' } } },
        },
        '/api/v1/unused': { get: { responses: { '200': { description: 'OK', content: {} } } } },
      },
      components: {
        parameters: { pathThingId: { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } } },
        examples: { WithRef: { value: { $ref: '#/components/schemas/Nope' } } },
        schemas: {
          Thing: {
            type: 'object',
            description: 'a thing',
            example: { id: 1 },
            'x-okta-lifecycle': { lifecycle: 'GA' },
            'x-okta-extensible': true,
            properties: {
              // Property names that look like documentation keys must survive.
              example: { type: 'string' },
              description: { type: 'string', description: 'the description property' },
              kind: ref('ThingKind'),
            },
            discriminator: { propertyName: 'kind', mapping: { BIG: '#/components/schemas/BigThing' } },
          },
          BigThing: { allOf: [ref('Thing'), { type: 'object', properties: { size: ref('Size') } }] },
          ThingKind: { type: 'string', enum: ['BIG'] },
          Size: { type: 'integer', minimum: 1 },
          Unused: { type: 'string' },
        },
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description: 'x',
            flows: { authorizationCode: { scopes: { 'okta.things.read': 'read', 'okta.other': 'other' } } },
          },
          apiToken: { type: 'apiKey', in: 'header', name: 'Authorization' },
        },
      },
    },
  };
}

const wanted: WantedOperation[] = [{ spec: 'management', method: 'get', path: '/api/v1/things/{id}' }];

describe('extractSubset', () => {
  const fixture = extractSubset([spec()], wanted, '2026-11-22');
  const doc = fixture.management as {
    paths: Record<string, Record<string, unknown>>;
    components: Record<string, Record<string, Record<string, unknown>>>;
  };

  it('keeps only the wanted operation, matched despite a different parameter name', () => {
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/things/{thingId}']);
    expect(Object.keys(doc.paths['/api/v1/things/{thingId}'] ?? {}).sort()).toEqual(['get', 'parameters']);
  });

  it('follows $refs transitively, through discriminator mappings, and drops unreferenced components', () => {
    expect(Object.keys(doc.components.schemas ?? {}).sort()).toEqual(['BigThing', 'Size', 'Thing', 'ThingKind']);
    expect(Object.keys(doc.components.parameters ?? {})).toEqual(['pathThingId']);
    expect(doc.components.examples).toBeUndefined();
  });

  it('drops documentation but keeps properties named like documentation keys', () => {
    const thing = doc.components.schemas?.Thing as Record<string, unknown>;
    expect(thing.description).toBeUndefined();
    expect(thing.example).toBeUndefined();
    expect(thing['x-okta-lifecycle']).toBeUndefined();
    expect(thing['x-okta-extensible']).toBe(true);
    expect(Object.keys(thing.properties as object).sort()).toEqual(['description', 'example', 'kind']);
    const op = doc.paths['/api/v1/things/{thingId}']?.get as Record<string, unknown>;
    expect(op.description).toBeUndefined();
    expect(op.tags).toBeUndefined();
    expect(JSON.stringify(op)).not.toContain('examples');
  });

  it('trims security schemes to the scopes used and records provenance', () => {
    const oauth2 = doc.components.securitySchemes?.oauth2 as { flows: { authorizationCode: { scopes: object } } };
    expect(oauth2.flows.authorizationCode.scopes).toEqual({ 'okta.things.read': 'read' });
    expect(doc.components.securitySchemes?.apiToken).toBeUndefined();
    expect(fixture['x-provenance']).toMatchObject({
      license: 'Apache-2.0',
      release: '2026.06.3',
      repository: 'okta/okta-management-openapi-spec',
      generatedOn: '2026-11-22',
    });
  });

  it('is deterministic', () => {
    const again = extractSubset([spec()], wanted, '2026-11-22');
    expect(stableStringify(again, 2)).toBe(stableStringify(fixture, 2));
  });

  it('fails clearly on a missing operation or a dangling reference', () => {
    expect(() =>
      extractSubset([spec()], [{ spec: 'management', method: 'get', path: '/api/v1/missing' }], 'd'),
    ).toThrow(OpenApiSubsetError);
    const broken = spec();
    const schemas = (broken.doc.components as { schemas: Record<string, unknown> }).schemas;
    delete schemas.Size;
    expect(() => extractSubset([broken], wanted, 'd')).toThrow(/dangling \$ref #\/components\/schemas\/Size/);
  });
});

describe('stableStringify', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});
