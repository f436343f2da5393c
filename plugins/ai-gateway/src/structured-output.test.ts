import { GatewayError, type CanonicalChatRequest, type CanonicalChatResponse } from '@portcullis/core';
import { compileJsonSchema, type CompiledJsonSchema } from './json-schema';
import { checkStructuredAnswer, generateStructured, outputResponseFormat, type ChatCall } from './structured-output';

const compiled = compileJsonSchema({ type: 'object', properties: { title: { type: 'string' }, score: { type: 'integer' } }, required: ['title', 'score'], additionalProperties: false });
if (!compiled.ok) throw new Error(compiled.message);
const schema: CompiledJsonSchema = compiled;

const answer = (content: string | null): CanonicalChatResponse => ({
  id: 'r',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content }, finishReason: { unified: 'stop', raw: 'stop' } }],
});

/** Answers the scripted contents in order and records every request it got. */
function scripted(contents: (string | null)[]): { call: ChatCall; requests: CanonicalChatRequest[] } {
  const requests: CanonicalChatRequest[] = [];
  const call: ChatCall = async (request) => {
    requests.push(request);
    const next = contents.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    return { kind: 'response', response: answer(next) };
  };
  return { call, requests };
}

const request: CanonicalChatRequest = { model: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Rate this' }], response_format: outputResponseFormat('rate', {}) };

describe('checkStructuredAnswer', () => {
  it('parses and validates JSON, also inside one Markdown fence', () => {
    expect(checkStructuredAnswer('{"title":"a","score":1}', schema)).toEqual({ ok: true, value: { title: 'a', score: 1 } });
    expect(checkStructuredAnswer('```json\n{"title":"a","score":1}\n```', schema)).toEqual({ ok: true, value: { title: 'a', score: 1 } });
  });

  it('names what is wrong', () => {
    expect(checkStructuredAnswer('{"title":"a"', schema)).toEqual({ ok: false, problem: 'the answer is not valid JSON' });
    expect(checkStructuredAnswer(null, schema)).toEqual({ ok: false, problem: 'the answer was empty' });
    expect(checkStructuredAnswer('{"title":"a","score":"high"}', schema)).toEqual({ ok: false, problem: "'score' must be integer" });
  });
});

describe('outputResponseFormat', () => {
  it('asks for json_schema with a name OpenAI accepts', () => {
    expect(outputResponseFormat('my.endpoint', { type: 'object' })).toEqual({ type: 'json_schema', json_schema: { name: 'my_endpoint_output', schema: { type: 'object' } } });
  });
});

describe('generateStructured', () => {
  it('returns the parsed answer after one call when it matches', async () => {
    const { call, requests } = scripted(['{"title":"ok","score":3}']);
    await expect(generateStructured(call, request, schema)).resolves.toEqual(expect.objectContaining({ kind: 'output', value: { title: 'ok', score: 3 }, repaired: false }));
    expect(requests).toHaveLength(1);
  });

  it('repairs once: the model sees its answer and the validation errors', async () => {
    const { call, requests } = scripted(['{"title":"ok","score":"high"}', '{"title":"ok","score":9}']);
    const outcome = await generateStructured(call, request, schema);
    expect(outcome).toEqual(expect.objectContaining({ kind: 'output', value: { title: 'ok', score: 9 }, repaired: true }));
    expect(requests).toHaveLength(2);
    const repair = requests[1]!;
    expect(repair.response_format).toEqual(request.response_format);
    expect(repair.messages.slice(0, 1)).toEqual(request.messages);
    expect(repair.messages[1]).toEqual({ role: 'assistant', content: '{"title":"ok","score":"high"}' });
    expect(repair.messages[2]).toEqual({ role: 'user', content: expect.stringContaining("'score' must be integer") });
  });

  it('gives up after the single repair with GW_ERR_OUTPUT_SCHEMA_MISMATCH naming the failure', async () => {
    const { call, requests } = scripted(['not json', '{"title":"ok"}', '{"title":"never asked","score":1}']);
    const err = await generateStructured(call, request, schema).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('GW_ERR_OUTPUT_SCHEMA_MISMATCH');
    expect((err as GatewayError).status).toBe(502);
    expect((err as GatewayError).message).toContain("'score' is required");
    expect(requests).toHaveLength(2);
  });

  it('treats a refusal (no content) as a failed answer', async () => {
    const { call } = scripted([null, '{"title":"t","score":0}']);
    await expect(generateStructured(call, request, schema)).resolves.toEqual(expect.objectContaining({ repaired: true }));
  });

  it('passes an early answer (e.g. a cache hit) through without validating', async () => {
    const early = { kind: 'early' as const, response: { status: 200, body: { cached: true } } };
    const call: ChatCall = async () => early;
    await expect(generateStructured(call, request, schema)).resolves.toBe(early);
  });
});
