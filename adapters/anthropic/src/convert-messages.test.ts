import { GatewayError, type ChatMessage } from '@portcullis/core';
import { convertMessages } from './convert-messages';

const thrown = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
};

const PNG = 'iVBORw0KGgo=';

describe('convertMessages', () => {
  it('hoists a late system message and warns once', () => {
    const out = convertMessages([
      { role: 'user', content: 'a' },
      { role: 'system', content: 'late 1' },
      { role: 'developer', content: 'late 2' },
    ]);
    expect(out.system).toEqual([{ type: 'text', text: 'late 1' }, { type: 'text', text: 'late 2' }]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]!.setting).toBe('messages');
  });

  it('does not warn for leading system messages', () => {
    expect(convertMessages([{ role: 'system', content: 's' }, { role: 'user', content: 'a' }]).warnings).toEqual([]);
  });

  it('merges consecutive assistant messages and drops empty text', () => {
    const out = convertMessages([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
    ]);
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'b' }, { type: 'text', text: 'c' }] },
    ]);
  });

  it('keeps assistant text before its tool_use blocks', () => {
    const out = convertMessages([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'calling', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] },
    ]);
    expect(out.messages[1]!.content).toEqual([
      { type: 'text', text: 'calling' },
      { type: 'tool_use', id: 't1', name: 'f', input: { x: 1 } },
    ]);
  });

  it.each([
    ['{"x":', 'is not valid JSON'],
    ['[1,2]', 'must be a JSON object'],
    ['"text"', 'must be a JSON object'],
  ])('rejects tool call arguments %s with a 400 naming the field', (args, why) => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'a' },
      { role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: args } }] },
    ];
    const err = thrown(() => convertMessages(messages));
    expect([err.code, err.status, err.param]).toEqual(['GW_ERR_REQUEST_INVALID', 400, 'messages']);
    expect(err.message).toBe(`messages[1].tool_calls[0].function.arguments ${why}.`);
  });

  it('converts data: and http(s) images', () => {
    const out = convertMessages([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG}` } },
          { type: 'image_url', image_url: { url: 'http://example.com/a.gif' } },
        ],
      },
    ]);
    expect(out.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'http://example.com/a.gif' } },
    ]);
  });

  it.each([
    ['ftp://example.com/a.png', 'GW_ERR_REQUEST_INVALID'],
    ['data:image/png,not-base64', 'GW_ERR_REQUEST_INVALID'],
    [`data:image/tiff;base64,${PNG}`, 'GW_ERR_FEATURE_UNSUPPORTED'],
  ])('rejects the image URL %s', (url, code) => {
    const err = thrown(() => convertMessages([{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }]));
    expect([err.code, err.param]).toEqual([code, 'messages']);
  });

  it('maps inline PDFs to document blocks and refuses other files and audio', () => {
    const out = convertMessages([
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }] },
    ]);
    expect(out.messages[0]!.content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
    ]);
    for (const content of [
      [{ type: 'file' as const, file: { file_id: 'file-1' } }],
      [{ type: 'file' as const, file: { file_data: 'data:text/plain;base64,aGk=' } }],
      [{ type: 'input_audio' as const, input_audio: { data: 'AAAA', format: 'wav' as const } }],
    ]) {
      expect(thrown(() => convertMessages([{ role: 'user', content }])).code).toBe('GW_ERR_FEATURE_UNSUPPORTED');
    }
  });

  it('rejects unknown roles and content part types', () => {
    const badRole = [{ role: 'function', content: 'x' }] as unknown as ChatMessage[];
    expect(thrown(() => convertMessages(badRole)).code).toBe('GW_ERR_REQUEST_INVALID');
    const badPart = [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] as unknown as ChatMessage[];
    expect(thrown(() => convertMessages(badPart)).message).toBe('Unknown content part type "video".');
  });
});
