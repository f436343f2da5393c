import type { CanonicalChatResponse } from '@portcullis/core';
import { Findings } from '../actions/findings';
import { redactText } from '../actions/redact';
import { jsonStringEscape, type RedactionVault } from '../actions/vault';
import type { Scanner } from '../detect/scanner';

export interface OutputGuardResult {
  response: CanonicalChatResponse;
  findings: Findings;
  blockedTypes: string[];
}

/**
 * A whole (non-streamed) response: assistant text, refusals and tool-call arguments are
 * scanned when the policy scans output, and reversible placeholders are restored in all of
 * them (in tool-call arguments JSON-escaped, so the arguments stay valid JSON).
 */
export function guardResponse(response: CanonicalChatResponse, scanner: Scanner, vault: RedactionVault): OutputGuardResult {
  const findings = new Findings();
  const scan = scanner.policy.scanOutput;
  const process = (text: string, isJson: boolean): string =>
    redactText(text, scan ? scanner.scan(text) : [], {
      direction: 'output',
      actionFor: scanner.actionFor,
      vault,
      findings,
      restore: (segment) => vault.restore(segment, isJson ? jsonStringEscape : undefined),
    });

  const choices = response.choices.map((choice) => {
    const message = { ...choice.message };
    if (typeof message.content === 'string') message.content = process(message.content, false);
    if (typeof message.refusal === 'string') message.refusal = process(message.refusal, false);
    if (message.tool_calls !== undefined) {
      message.tool_calls = message.tool_calls.map((call) => ({
        ...call,
        function: { ...call.function, arguments: process(call.function.arguments, true) },
      }));
    }
    return { ...choice, message };
  });
  return { response: { ...response, choices }, findings, blockedTypes: findings.types('block') };
}
