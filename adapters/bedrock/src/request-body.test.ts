import { GatewayError, type CanonicalChatRequest } from '@portcullis/core';
import { buildConverseBody } from './request-body';

const base = (over: Partial<CanonicalChatRequest> = {}): CanonicalChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...over });

const gatewayErrorOf = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
};

describe('buildConverseBody: refusals', () => {
  it('refuses http(s) image URLs with a 400 naming the parameter', () => {
    const err = gatewayErrorOf(() =>
      buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] })),
    );
    expect([err.code, err.status, err.param]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 400, 'messages[0].content[1].image_url.url']);
  });

  it('refuses data: URLs of image types Bedrock does not read', () => {
    const err = gatewayErrorOf(() => buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }] })));
    expect([err.code, err.param]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 'messages[0].content[0].image_url.url']);
  });

  it('refuses s3:// image URLs without a known extension, accepts ones with it', () => {
    const bad = gatewayErrorOf(() => buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 's3://bucket/key' } }] }] })));
    expect(bad.code).toBe('GW_ERR_FEATURE_UNSUPPORTED');
    const ok = buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 's3://bucket/photo.JPG' } }] }] }));
    expect(ok.body.messages[0]!.content).toEqual([{ image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/photo.JPG' } } } }]);
  });

  it('refuses audio parts, and files by OpenAI file id (Bedrock cannot reach them)', () => {
    const audio = gatewayErrorOf(() => buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] }] })));
    expect([audio.code, audio.param]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 'messages[0].content[0]']);
    const file = gatewayErrorOf(() => buildConverseBody(base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'file', file: { file_id: 'f' } }] }] })));
    expect([file.code, file.param]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 'messages[0].content[1].file']);
  });

  it('sends inline files as document blocks, named uniquely across the whole conversation', () => {
    const pdf = (filename?: string) => ({ type: 'file' as const, file: { file_data: 'data:application/pdf;base64,JVBERi0=', ...(filename ? { filename } : {}) } });
    const { body } = buildConverseBody(
      base({
        messages: [
          { role: 'user', content: [pdf('q3.pdf'), { type: 'text', text: 'summarise' }] },
          { role: 'assistant', content: 'done' },
          { role: 'user', content: [pdf('q3.pdf'), pdf(), { type: 'text', text: 'and these' }] },
        ],
      }),
    );
    const docs = body.messages.flatMap((m) => m.content.flatMap((b) => ('document' in b ? [b.document] : [])));
    expect(docs).toEqual([
      { format: 'pdf', name: 'q3', source: { bytes: 'JVBERi0=' } },
      { format: 'pdf', name: 'q3-2', source: { bytes: 'JVBERi0=' } },
      { format: 'pdf', name: 'document', source: { bytes: 'JVBERi0=' } },
    ]);
  });

  it('refuses n > 1 and accepts n = 1', () => {
    const err = gatewayErrorOf(() => buildConverseBody(base({ n: 3 })));
    expect([err.code, err.param]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 'n']);
    expect(buildConverseBody(base({ n: 1 })).warnings).toEqual([]);
  });

  it('refuses tool call arguments that are not JSON', () => {
    const err = gatewayErrorOf(() =>
      buildConverseBody(
        base({
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
          ],
        }),
      ),
    );
    expect([err.code, err.param]).toEqual(['GW_ERR_REQUEST_INVALID', 'messages[1].tool_calls[0].function.arguments']);
  });

  it('refuses a forced tool_choice without tools', () => {
    expect(gatewayErrorOf(() => buildConverseBody(base({ tool_choice: 'required' }))).param).toBe('tool_choice');
    expect(buildConverseBody(base({ tool_choice: 'auto' })).body.toolConfig).toBeUndefined();
  });
});

describe('buildConverseBody: mappings and warnings', () => {
  it('warns, per setting, about what Converse cannot do', () => {
    const { warnings } = buildConverseBody(
      base({ seed: 1, logprobs: true, top_logprobs: 2, presence_penalty: 0.5, frequency_penalty: 0.1, logit_bias: { '1': 2 }, user: 'u', metadata: { a: 'b' } }),
    );
    expect(warnings.map((w) => w.setting)).toEqual(['seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'metadata']);
    expect(warnings.every((w) => w.type === 'unsupported-setting')).toBe(true);
  });

  it('does not warn about settings left at their off values', () => {
    expect(buildConverseBody(base({ logprobs: false, seed: null, metadata: {} })).warnings).toEqual([]);
  });

  it('maps json_schema to native structured output (outputConfig.textFormat), with no warning', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    const { body, warnings } = buildConverseBody(base({ response_format: { type: 'json_schema', json_schema: { name: 's', schema } } }));
    expect(body.outputConfig).toEqual({ textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 's' } } } });
    expect(body.system).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('emulates json_object with a system instruction, and warns', () => {
    const { body, warnings } = buildConverseBody(base({ response_format: { type: 'json_object' } }));
    expect(body.system?.at(-1)?.text).toContain('single valid JSON object');
    expect(body.outputConfig).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ setting: 'response_format' })]);
    expect(buildConverseBody(base({ response_format: { type: 'text' } })).body.system).toBeUndefined();
  });

  it('drops tools for tool_choice "none" when the history has no tool blocks', () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const { body, warnings } = buildConverseBody(base({ tools, tool_choice: 'none' }));
    expect(body.toolConfig).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('keeps tools (as auto, with a warning) for tool_choice "none" when the history has tool blocks', () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const { body, warnings } = buildConverseBody(
      base({
        tools,
        tool_choice: 'none',
        parallel_tool_calls: false,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '' } }] },
          { role: 'tool', tool_call_id: 't', content: [{ type: 'text', text: '[1,2]' }] },
        ],
      }),
    );
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object', properties: {} } } } }] });
    expect(warnings.map((w) => w.setting)).toEqual(['tool_choice', 'parallel_tool_calls']);
    // empty arguments become {}, a JSON array result stays text
    expect(body.messages[1]!.content).toEqual([{ toolUse: { toolUseId: 't', name: 'f', input: {} } }]);
    expect(body.messages[2]!.content).toEqual([{ toolResult: { toolUseId: 't', content: [{ text: '[1,2]' }] } }]);
  });

  it('merges consecutive same-role turns and skips empty text', () => {
    const { body } = buildConverseBody(
      base({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: '' },
          { role: 'user', content: [{ type: 'text', text: 'b' }] },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
          { role: 'system', content: '' },
        ],
      }),
    );
    expect(body).toEqual({ messages: [{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }, { role: 'assistant', content: [{ text: 'c' }] }] });
  });

  it('maps stop arrays, prefers max_completion_tokens, and omits an empty inferenceConfig', () => {
    expect(buildConverseBody(base({ stop: ['x', 'y'], max_tokens: 5, max_completion_tokens: 9 })).body.inferenceConfig).toEqual({ maxTokens: 9, stopSequences: ['x', 'y'] });
    expect(buildConverseBody(base({ stop: [] })).body.inferenceConfig).toBeUndefined();
    expect(buildConverseBody(base({ temperature: 0 })).body.inferenceConfig).toEqual({ temperature: 0 });
  });

  it('maps tool_choice auto to {auto:{}}', () => {
    const { body } = buildConverseBody(base({ tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } }], tool_choice: 'auto' }));
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'f', description: 'd', inputSchema: { json: { type: 'object' } } } }], toolChoice: { auto: {} } });
  });
});
