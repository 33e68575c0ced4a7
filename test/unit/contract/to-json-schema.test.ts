import { describe, expect, it } from 'vitest';
import { convertComponents, WRITE_ONLY_KEYWORD } from '../../contract/openapi/to-json-schema.js';

const ID = 'urn:test';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const def = (name: string) => ({ $ref: `${ID}#/definitions/${name}` });

function convert(schemas: Record<string, unknown>) {
  return convertComponents({ components: { schemas } }, ID).definitions;
}

describe('convertComponents', () => {
  it('turns nullable into a null-admitting type, enum, or anyOf', () => {
    const out = convert({
      A: { type: 'string', nullable: true, enum: ['X'] },
      B: { allOf: [ref('A')], nullable: true },
    });
    expect(out.A).toEqual({ type: ['string', 'null'], enum: ['X', null] });
    expect(out.B).toEqual({ anyOf: [{ allOf: [def('A')] }, { type: 'null' }] });
  });

  it('forbids writeOnly properties in responses and drops them from required', () => {
    const out = convert({
      P: { type: 'object', required: ['value', 'hint'], properties: { value: { type: 'string', writeOnly: true } } },
    });
    expect(out.P).toEqual({
      type: 'object',
      required: ['hint'],
      properties: { value: { [WRITE_ONLY_KEYWORD]: true } },
    });
  });

  it('drops prose formats and x- extensions, de-duplicates enums', () => {
    const out = convert({
      S: { type: 'string', format: 'Opaque token', 'x-okta-lifecycle': {}, enum: ['a', 'a', 'b'] },
      T: { type: 'string', format: 'date-time' },
    });
    expect(out.S).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(out.T).toEqual({ type: 'string', format: 'date-time' });
  });

  it('splits an inheritance discriminator into a dispatcher and a base its subtypes extend', () => {
    const out = convert({
      Base: {
        type: 'object',
        properties: { mode: { type: 'string' } },
        required: ['mode'],
        discriminator: { propertyName: 'mode', mapping: { A: '#/components/schemas/SubA' } },
      },
      SubA: { allOf: [ref('Base'), { type: 'object', required: ['a'] }] },
    });
    expect(out['Base~base']).toEqual({ type: 'object', properties: { mode: { type: 'string' } }, required: ['mode'] });
    expect(out.SubA).toEqual({ allOf: [def('Base~base'), { type: 'object', required: ['a'] }] });
    const dispatcher = out.Base as { allOf: Record<string, unknown>[] };
    expect(dispatcher.allOf[0]).toEqual({
      if: { properties: { mode: { const: 'A' } }, required: ['mode'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword.
      then: def('SubA'),
    });
    expect(dispatcher.allOf[1]).toEqual({
      if: { properties: { mode: { enum: ['A'] } }, required: ['mode'] },
      else: def('Base~base'),
    });
  });
});
