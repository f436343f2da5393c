import { GatewayError, type CanonicalChatRequest } from '@portcullis/core';
import type { AnthropicTool, AnthropicToolChoice } from './wire-types';

export interface ConvertedTools {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

const EMPTY_OBJECT_SCHEMA = { type: 'object', properties: {} };

/** OpenAI tools + tool_choice + parallel_tool_calls -> Anthropic tools + tool_choice. */
export function convertTools(req: Pick<CanonicalChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>): ConvertedTools {
  // Anthropic rejects tool_choice without tools, and OpenAI's answer would be "no tool calls".
  if (!req.tools || req.tools.length === 0) return {};

  const tools = req.tools.map((tool, i): AnthropicTool => {
    if (tool.type !== 'function')
      throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { message: `tools[${i}].type must be "function".`, param: 'tools' });
    return {
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      // Anthropic requires input_schema; OpenAI allows a parameterless function.
      input_schema: tool.function.parameters ?? EMPTY_OBJECT_SCHEMA,
    };
  });

  const disableParallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice = req.tool_choice;
  let tool_choice: AnthropicToolChoice | undefined;
  if (choice === 'none') tool_choice = { type: 'none' };
  else if (choice === 'required') tool_choice = { type: 'any', ...disableParallel };
  else if (typeof choice === 'object') tool_choice = { type: 'tool', name: choice.function.name, ...disableParallel };
  else if (choice === 'auto' || req.parallel_tool_calls === false) tool_choice = { type: 'auto', ...disableParallel };

  return tool_choice ? { tools, tool_choice } : { tools };
}
