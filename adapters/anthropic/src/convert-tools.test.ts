import { GatewayError, type FunctionTool } from '@portcullis/core';
import { convertTools } from './convert-tools';

const tool: FunctionTool = { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } } };

describe('convertTools', () => {
  it('sends nothing without tools, even when tool_choice is set', () => {
    expect(convertTools({ tool_choice: 'required', parallel_tool_calls: false })).toEqual({});
    expect(convertTools({ tools: [], tool_choice: 'auto' })).toEqual({});
  });

  it('omits tool_choice when the client left it to the default', () => {
    expect(convertTools({ tools: [tool] })).toEqual({ tools: [{ name: 'f', input_schema: tool.function.parameters }] });
  });

  it.each([
    ['auto', true, { type: 'auto' }],
    ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', undefined, { type: 'any' }],
    [{ type: 'function', function: { name: 'f' } }, false, { type: 'tool', name: 'f', disable_parallel_tool_use: true }],
    ['none', false, { type: 'none' }],
  ] as const)('tool_choice %j with parallel_tool_calls %s', (choice, parallel, expected) => {
    const req = parallel === undefined ? { tools: [tool], tool_choice: choice } : { tools: [tool], tool_choice: choice, parallel_tool_calls: parallel };
    expect(convertTools(req).tool_choice).toEqual(expected);
  });

  it('rejects non-function tools', () => {
    const bad = [{ type: 'custom', custom: {} }] as unknown as FunctionTool[];
    expect(() => convertTools({ tools: bad })).toThrow(GatewayError);
  });
});
