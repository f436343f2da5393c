import { GatewayError, type ChatMessage, type Warning } from '@portcullis/core';
import { convertMessages } from './messages';

const convert = (messages: ChatMessage[]) => {
  const warnings: Warning[] = [];
  return { ...convertMessages(messages, warnings), warnings };
};

describe('convertMessages', () => {
  it('merges consecutive turns of one role and omits systemInstruction when there is none', () => {
    const out = convert([
      { role: 'user', content: 'a' },
      { role: 'user', content: [{ type: 'text', text: 'b' }] },
      { role: 'assistant', content: 'c' },
    ]);
    expect(out.systemInstruction).toBeUndefined();
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }] },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('refuses a tool message whose tool_call_id matches no earlier call, naming the parameter', () => {
    let caught: unknown;
    try {
      convert([
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'call_9', content: 'r' },
      ]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_REQUEST_INVALID');
    expect((caught as GatewayError).param).toBe('messages[1].tool_call_id');
  });

  it('maps a reused tool_call_id to the latest call, and wraps non-object JSON results', () => {
    const call = (name: string) => ({ id: 'call_1', type: 'function' as const, function: { name, arguments: '{}' } });
    const out = convert([
      { role: 'user', content: 'x' },
      { role: 'assistant', tool_calls: [call('first')] },
      { role: 'tool', tool_call_id: 'call_1', content: '[1,2]' },
      { role: 'assistant', tool_calls: [call('second')] },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '"done"' }] },
    ]);
    expect(out.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'first', response: { result: [1, 2] } } }] });
    expect(out.contents[4]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'second', response: { result: 'done' } } }] });
  });

  it('warns when tool call arguments are not a JSON object and sends {}', () => {
    const out = convert([
      { role: 'user', content: 'x' },
      { role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1' } }] },
    ]);
    expect(out.contents[1]).toEqual({ role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] });
    expect(out.warnings.map((w) => w.setting)).toEqual(['messages[1].tool_calls']);
  });

  it('skips an assistant message with nothing to say (Gemini rejects empty parts)', () => {
    const out = convert([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null },
      { role: 'user', content: 'y' },
    ]);
    expect(out.contents).toEqual([{ role: 'user', parts: [{ text: 'x' }, { text: 'y' }] }]);
  });

  it('warns once about participant names, and about a system message that came mid-conversation', () => {
    const out = convert([
      { role: 'user', content: 'x', name: 'alice' },
      { role: 'user', content: 'y', name: 'bob' },
      { role: 'system', content: 'late rule' },
    ]);
    expect(out.systemInstruction).toEqual({ parts: [{ text: 'late rule' }] });
    expect(out.warnings.map((w) => w.setting)).toEqual(['messages[].name', 'messages[2]']);
  });

  it('sends audio and data-URL files inline; warns about file ids, bad data URLs, unknown image types and other schemes', () => {
    const out = convert([
      {
        role: 'user',
        content: [
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          { type: 'file', file: { file_id: 'file-123' } },
          { type: 'image_url', image_url: { url: 'data:image/png,not-base64' } },
          { type: 'image_url', image_url: { url: 'https://example.com/image', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } },
        ],
      },
    ]);
    expect(out.contents[0]!.parts).toEqual([
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { fileData: { fileUri: 'https://example.com/image' } },
    ]);
    expect(out.warnings.map((w) => w.setting)).toEqual(['file', 'image_url', 'image_url', 'image_url.detail', 'image_url']);
  });
});
