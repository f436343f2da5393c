import { GatewayError, type CanonicalChatRequest } from '@portcullis/core';
import { compiledEndpoint } from './__fixtures__/endpoints';
import { endpointChatRequest, variablesFrom } from './openai-shape-request';

const endpoint = compiledEndpoint({
  target: { provider: 'openai', model: 'gpt-4o-mini' },
  systemPrompt: 'House rules.',
  template: 'Translate to {{lang}}: {{input}}',
  outputSchema: { type: 'object' },
  max_tokens: 50,
});

describe('endpointChatRequest', () => {
  it('renders the last user message, keeps earlier turns, puts the system prompt first and forces the output schema', () => {
    const client: CanonicalChatRequest = {
      model: 'translate',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
      response_format: { type: 'text' },
    };
    const out = endpointChatRequest(endpoint, 'translate', 'openai:gpt-4o-mini', client, { lang: 'French' });
    expect(out.model).toBe('openai:gpt-4o-mini');
    expect(out.messages).toEqual([
      { role: 'system', content: 'House rules.' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'Translate to French: second' },
    ]);
    expect(out.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'translate_output', schema: { type: 'object' } } });
    expect(out.max_tokens).toBe(50);
  });

  it('renders the text parts of a multi-part message and keeps its images', () => {
    const client: CanonicalChatRequest = {
      model: 'translate',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }, { type: 'text', text: 'here' }] }],
    };
    const out = endpointChatRequest(endpoint, 'translate', 'm', client, { lang: 'German' });
    expect(out.messages[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Translate to German: look\nhere' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }],
    });
  });

  it('drops the non-OpenAI variables field and keeps the client’s own max_tokens', () => {
    const client = { model: 'translate', messages: [{ role: 'user', content: 'x' }], variables: { lang: 'Greek' }, max_completion_tokens: 9 } as CanonicalChatRequest;
    const out = endpointChatRequest(endpoint, 'translate', 'm', client, { lang: 'Greek' });
    expect(out).not.toHaveProperty('variables');
    expect(out.max_tokens).toBeUndefined();
    expect(out.max_completion_tokens).toBe(9);
  });

  it('refuses a conversation without a user message', () => {
    const client: CanonicalChatRequest = { model: 'translate', messages: [{ role: 'system', content: 'x' }] };
    expect(() => endpointChatRequest(endpoint, 'translate', 'm', client, { lang: 'x' })).toThrow(GatewayError);
  });
});

describe('variablesFrom', () => {
  it('reads an optional variables object', () => {
    expect(variablesFrom({ variables: { a: 1 } })).toEqual({ a: 1 });
    expect(variablesFrom({})).toEqual({});
    expect(variablesFrom({ variables: null })).toEqual({});
  });

  it('refuses variables that are not an object', () => {
    expect(() => variablesFrom({ variables: [1] })).toThrow("Invalid type for 'variables'");
  });
});
