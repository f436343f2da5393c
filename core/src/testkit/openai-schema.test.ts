import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAISchemaValidator } from './openai-schema';

describe('createOpenAISchemaValidator', () => {
  const { validateOpenAI } = createOpenAISchemaValidator();
  const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null, logprobs: null }] };

  it('accepts null where OpenAI marks a field nullable (3.0-style `nullable`)', () => {
    expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(validateOpenAI('CreateChatCompletionStreamResponse', { ...chunk, usage: null })).toEqual([]);
  });

  it('reports what is wrong, with the path', () => {
    const errors = validateOpenAI('CreateChatCompletionStreamResponse', { ...chunk, object: 'chat.completion', choices: [{ index: 'zero', delta: {}, finish_reason: 'bored' }] });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('/object');
    expect(errors.join('\n')).toContain('/choices/0/index');
  });

  it('rejects a response missing required fields', () => {
    expect(validateOpenAI('CreateChatCompletionResponse', { id: 'x' })).not.toEqual([]);
  });

  it('throws for a schema name the spec does not have', () => {
    expect(() => validateOpenAI('NoSuchSchema', {})).toThrow(/NoSuchSchema/);
  });

  it('throws for a spec file without components', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oai-spec-'));
    const path = join(dir, 'spec.json');
    writeFileSync(path, JSON.stringify({ openapi: '3.1.0' }));
    expect(() => createOpenAISchemaValidator(path).validateOpenAI('Anything', {})).toThrow(/components/);
  });
});
