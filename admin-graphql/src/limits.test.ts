import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { firstError, startHarness, type Harness } from './__fixtures__/harness';
import { DEFAULT_CONNECTION_FIRST, operationCost, operationDepth } from './limits';

function analyse(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return { depth: operationDepth(operation, fragments), cost: operationCost(operation, fragments, variables) };
}

describe('static depth and cost', () => {
  it('counts nesting through fragments and inline fragments, ignoring introspection fields', () => {
    expect(analyse('{ projects { id } }').depth).toBe(2);
    expect(analyse('{ projects { ...P } } fragment P on Project { bindings { credential { ... on Credential { id } } } }').depth).toBe(4);
    expect(analyse('{ __schema { types { fields { type { ofType { name } } } } } }').depth).toBe(0);
  });

  it('costs 1 per field and multiplies under a connection by first', () => {
    expect(analyse('{ projects { id name } }').cost).toBe(3);
    expect(analyse('{ auditEvents(first: 10) { edges { node { id } } } }').cost).toBe(1 + 10 * 3);
    expect(analyse('query($n: Int) { auditEvents(first: $n) { edges { node { id } } } }', { n: 50 }).cost).toBe(1 + 50 * 3);
    expect(analyse('{ auditEvents { edges { node { id } } } }').cost).toBe(1 + DEFAULT_CONNECTION_FIRST * 3);
    expect(analyse('{ a: projects { id } b: projects { id } }').cost).toBe(4);
  });
});

describe('limits through HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxDepth: 4, maxCost: 100, maxBodyBytes: 2048 } });
  });
  afterAll(() => h.close());

  it('refuses a query deeper than maxDepth', async () => {
    const res = await h.gql('{ projects { bindings { credential { usedBy { project { id } } } } } }');
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({ code: 'QUERY_TOO_DEEP' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ depth: 6, maxDepth: 4 });
  });

  it('accepts a query at maxDepth', async () => {
    const res = await h.gql('{ projects { bindings { credential { id } } } }');
    expect(res.errors).toBeUndefined();
  });

  it('refuses a query costlier than maxCost, counting variables', async () => {
    const res = await h.gql('query($n: Int) { auditEvents(first: $n) { edges { node { id event } } } }', { n: 50 });
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    const ok = await h.gql('query($n: Int) { auditEvents(first: $n) { edges { node { id event } } } }', { n: 5 });
    expect(ok.errors).toBeUndefined();
  });

  it('refuses a body over maxBodyBytes with 413 in GraphQL error shape', async () => {
    const res = await h.raw(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(4000)}` }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }) })] });
  });

  it('answers invalid JSON with 400 BAD_REQUEST, not an HTML page', async () => {
    const res = await h.raw('{"query": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('reports GraphQL syntax and validation errors without stack traces', async () => {
    const syntax = await h.gql('{ projects { id ');
    expect(firstError(syntax)?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await h.gql('{ nope }');
    expect(firstError(unknown)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(syntax.text + unknown.text).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('allows introspection outside production by default', async () => {
    const res = await h.gql('{ __schema { queryType { name } } }');
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('introspection switch', () => {
  it('is off in production unless enabled', async () => {
    const prod = await startHarness({ environment: 'production' });
    try {
      const res = await prod.gql('{ __schema { queryType { name } } }');
      expect(firstError(res)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await prod.gql('{ me { role } }')).data).toEqual({ me: { role: 'ADMIN' } });
    } finally {
      await prod.close();
    }
    const enabled = await startHarness({ environment: 'production', config: { introspection: true } });
    try {
      expect((await enabled.gql('{ __schema { queryType { name } } }')).errors).toBeUndefined();
    } finally {
      await enabled.close();
    }
  });

  it('can be turned off in development', async () => {
    const dev = await startHarness({ environment: 'development', config: { introspection: false } });
    try {
      expect(firstError(await dev.gql('{ __type(name: "Project") { name } }'))?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await dev.close();
    }
  });
});
