import { GatewayError, type CanonicalChatRequest, type Target, type UpstreamRequest, type Warning } from '@portcullis/core';
import { geminiHeaders, geminiUrl } from './endpoint';
import type { GeminiGenerateContentRequest } from './gemini-types';
import { convertGenerationConfig } from './generation-config';
import { convertMessages } from './messages';
import { requiresThoughtSignatures } from './thought-signature';
import { convertToolChoice, convertTools } from './tools';

/** Canonical chat request -> `models/<model>:generateContent` (or `:streamGenerateContent?alt=sse`). */
export function buildGeminiRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest {
  const warnings: Warning[] = [];
  const { systemInstruction, contents } = convertMessages(req.messages, warnings, { requiresThoughtSignatures: requiresThoughtSignatures(target.model) });
  // Gemini answers 400 to an empty `contents`; say why here instead of relaying its message.
  if (contents.length === 0)
    throw new GatewayError('GW_ERR_REQUEST_INVALID', {
      message: 'Gemini needs at least one user or assistant message besides system messages.',
      param: 'messages',
    });
  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  if (req.tools && req.tools.length > 0) {
    body.tools = convertTools(req.tools, warnings);
    if (req.tool_choice !== undefined) body.toolConfig = convertToolChoice(req.tool_choice);
  }
  const generationConfig = convertGenerationConfig(req, warnings);
  if (generationConfig) body.generationConfig = generationConfig;

  const stream = req.stream === true;
  return {
    method: 'POST',
    url: geminiUrl(target, stream ? 'streamGenerateContent' : 'generateContent'),
    headers: geminiHeaders(target, stream),
    body: JSON.stringify(body),
    warnings,
  };
}
