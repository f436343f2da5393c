import { isEmptyObjectSchema, sanitiseSchema } from './schema';

describe('sanitiseSchema', () => {
  it('removes keywords Gemini rejects and reports them, dropping bookkeeping keywords silently', () => {
    const { schema, dropped } = sanitiseSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: { n: { type: 'integer', exclusiveMinimum: 0, minimum: 1 } },
      patternProperties: { '^x': { type: 'string' } },
    });
    expect(schema).toEqual({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } } });
    expect(dropped).toEqual(['additionalProperties', 'exclusiveMinimum', 'patternProperties']);
  });

  it('turns nullable type arrays and null enum members into `nullable`', () => {
    expect(sanitiseSchema({ type: ['string', 'null'] }).schema).toEqual({ type: 'string', nullable: true });
    expect(sanitiseSchema({ type: 'string', enum: ['a', null] }).schema).toEqual({ type: 'string', enum: ['a'], nullable: true });
  });

  it('turns a multi-type array into anyOf, oneOf into anyOf, const into a one-value enum', () => {
    expect(sanitiseSchema({ type: ['string', 'number'] }).schema).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(sanitiseSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] }).schema).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
    expect(sanitiseSchema({ const: 'x' }).schema).toEqual({ enum: ['x'] });
  });

  it('inlines $ref to $defs and definitions, also inside array items', () => {
    const { schema, dropped } = sanitiseSchema({
      type: 'array',
      items: { $ref: '#/definitions/point' },
      definitions: { point: { type: 'object', properties: { x: { $ref: '#/$defs/num' } } } },
      $defs: { num: { type: 'number' } },
    });
    expect(schema).toEqual({ type: 'array', items: { type: 'object', properties: { x: { type: 'number' } } } });
    expect(dropped).toEqual([]);
  });

  it('gives up on recursive or unresolvable $ref and reports it instead of looping', () => {
    const recursive = sanitiseSchema({
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
      $ref: '#/$defs/node',
    });
    expect(recursive.dropped).toEqual(['$ref']);
    // One level is expanded; the self-reference becomes an unconstrained schema.
    expect(recursive.schema).toEqual({ type: 'object', properties: { next: {} } });
    expect(sanitiseSchema({ $ref: 'https://example.com/schema.json' }).dropped).toEqual(['$ref']);
  });

  it('knows an object schema with no properties is empty', () => {
    expect(isEmptyObjectSchema({ type: 'object' })).toBe(true);
    expect(isEmptyObjectSchema({ type: 'object', properties: {} })).toBe(true);
    expect(isEmptyObjectSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBe(false);
    expect(isEmptyObjectSchema({ type: 'string' })).toBe(false);
  });
});
