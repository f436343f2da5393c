import { GatewayError, type CanonicalChatRequest, type CanonicalChatResponse, type EarlyResponse, type JsonSchema, type ResponseFormat } from '@portcullis/core';
import { describeViolations, type CompiledJsonSchema } from './json-schema';

export type AnswerCheck = { ok: true; value: unknown } | { ok: false; problem: string };

/** The provider is asked for schema-constrained JSON (native on OpenAI and Anthropic). */
export function outputResponseFormat(slug: string, schema: JsonSchema): ResponseFormat {
  // OpenAI allows [A-Za-z0-9_-]{1,64} as the schema name.
  const name = `${slug.replace(/[^A-Za-z0-9_-]/g, '_')}_output`.slice(0, 64);
  return { type: 'json_schema', json_schema: { name, schema } };
}

/** Models sometimes wrap JSON in a Markdown fence even in JSON mode; accept that one wrapper. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  return fenced ? fenced[1]! : text;
}

/** Parses the model's answer as JSON and validates it against the output schema. */
export function checkStructuredAnswer(text: string | null, schema: CompiledJsonSchema): AnswerCheck {
  if (text === null || text.trim() === '') return { ok: false, problem: 'the answer was empty' };
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch {
    return { ok: false, problem: 'the answer is not valid JSON' };
  }
  const violations = schema.check(value);
  return violations.length === 0 ? { ok: true, value } : { ok: false, problem: describeViolations(violations) };
}

/** One non-streaming chat call; an `early` outcome (e.g. a cache hit) ends the flow as is. */
export type ChatCall = (
  request: CanonicalChatRequest,
) => Promise<{ kind: 'response'; response: CanonicalChatResponse } | { kind: 'early'; response: EarlyResponse }>;

export type StructuredOutcome =
  | { kind: 'output'; value: unknown; text: string; response: CanonicalChatResponse; repaired: boolean }
  | { kind: 'early'; response: EarlyResponse };

/** A refusal carries no content, so it reads as an empty answer. */
const answerText = (response: CanonicalChatResponse): string | null => response.choices[0]?.message.content ?? null;

function repairRequest(request: CanonicalChatRequest, previous: string | null, problem: string): CanonicalChatRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: previous ?? '' },
      {
        role: 'user',
        content: `Your previous answer did not match the required JSON schema: ${problem}. Reply again with only a JSON value that matches the schema, and nothing else.`,
      },
    ],
  };
}

/**
 * Asks for structured output, validates it, and on failure makes exactly ONE repair attempt
 * (the model sees its answer and the validation errors). A second failure is a 502
 * GW_ERR_OUTPUT_SCHEMA_MISMATCH naming what was wrong; it is never retried further, so one
 * client request costs at most two upstream calls.
 */
export async function generateStructured(call: ChatCall, request: CanonicalChatRequest, schema: CompiledJsonSchema): Promise<StructuredOutcome> {
  const first = await call(request);
  if (first.kind === 'early') return first;
  const firstText = answerText(first.response);
  const firstCheck = checkStructuredAnswer(firstText, schema);
  if (firstCheck.ok) return { kind: 'output', value: firstCheck.value, text: firstText!, response: first.response, repaired: false };

  const second = await call(repairRequest(request, firstText, firstCheck.problem));
  if (second.kind === 'early') return second;
  const secondText = answerText(second.response);
  const secondCheck = checkStructuredAnswer(secondText, schema);
  if (secondCheck.ok) return { kind: 'output', value: secondCheck.value, text: secondText!, response: second.response, repaired: true };
  throw new GatewayError('GW_ERR_OUTPUT_SCHEMA_MISMATCH', {
    message: `The model's answer did not match the endpoint's output schema after one repair attempt: ${secondCheck.problem}.`,
    details: { firstProblem: firstCheck.problem, secondProblem: secondCheck.problem },
  });
}
