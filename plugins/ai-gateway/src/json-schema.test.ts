import { compileJsonSchema, describeViolations, pointerToPath, type CompiledJsonSchema } from './json-schema';

const compile = (schema: Record<string, unknown>): CompiledJsonSchema => {
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled;
};

describe('JSON Schema helpers', () => {
  it('turns JSON pointers into dotted paths with array indexes', () => {
    expect(pointerToPath('')).toBe('');
    expect(pointerToPath('/customer/tags/1')).toBe('customer.tags[1]');
    expect(pointerToPath('/a~1b/c~0d')).toBe('a/b.c~d');
  });

  it('names a missing property by its own path, not its parent', () => {
    const schema = compile({ type: 'object', properties: { customer: { type: 'object', required: ['name'] } }, required: ['customer'] });
    expect(schema.check({})).toEqual([{ path: 'customer', message: "'customer' is required" }]);
    expect(schema.check({ customer: {} })).toEqual([{ path: 'customer.name', message: "'customer.name' is required" }]);
  });

  it('names extra properties and wrong types, and reports every violation', () => {
    const schema = compile({ type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } }, additionalProperties: false });
    const violations = schema.check({ n: 'x', tags: ['ok', 3], extra: true });
    expect(violations.map((v) => v.path).sort()).toEqual(['extra', 'n', 'tags[1]']);
    expect(schema.check({ n: 1, tags: [] })).toEqual([]);
  });

  it('knows string formats', () => {
    const schema = compile({ type: 'object', properties: { email: { type: 'string', format: 'email' } } });
    expect(schema.check({ email: 'not-an-email' })).toEqual([{ path: 'email', message: `'email' must match format "email"` }]);
    expect(schema.check({ email: 'ada@example.com' })).toEqual([]);
  });

  it('follows a 2020-12 $schema', () => {
    const schema = compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }] });
    expect(schema.check([1])).toHaveLength(1);
    expect(schema.check(['a'])).toEqual([]);
  });

  it('lets two schemas share an $id (each has its own compiler)', () => {
    expect(compileJsonSchema({ $id: 'https://example.com/s', type: 'string' }).ok).toBe(true);
    expect(compileJsonSchema({ $id: 'https://example.com/s', type: 'number' }).ok).toBe(true);
  });

  it('refuses a schema that does not compile', () => {
    const compiled = compileJsonSchema({ type: 'no-such-type' });
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toMatch(/^Not a valid JSON Schema/);
  });

  it('describes at most a few violations on one line', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, message: `m${i}` }));
    expect(describeViolations(many, 2)).toBe('m0; m1; and 5 more');
  });
});
