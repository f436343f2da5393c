import type { ResponseFormat, Warning } from '@portcullis/core';
import type { AnthropicMessagesRequest, AnthropicTextBlock } from './wire-types';

/**
 * response_format on Anthropic:
 * - json_schema maps to native structured outputs (`output_config.format`), which constrain
 *   the answer to the schema; the schema name and description have no place there and are
 *   dropped (they only label the schema in OpenAI's API).
 * - json_object ("any JSON object") has no native equivalent, so it is emulated with a system
 *   instruction. The model usually complies but nothing enforces it, hence the warning.
 */
export interface JsonModeMapping {
  systemBlock?: AnthropicTextBlock;
  outputConfig?: AnthropicMessagesRequest['output_config'];
  warnings: Warning[];
}

export function mapJsonMode(format: ResponseFormat | undefined): JsonModeMapping {
  if (!format || format.type === 'text') return { warnings: [] };
  if (format.type === 'json_object') {
    return {
      systemBlock: { type: 'text', text: 'Respond only with a single valid JSON object. Do not add any text, explanation or code fences around it.' },
      warnings: [
        {
          type: 'unsupported-setting',
          setting: 'response_format',
          message: 'Anthropic has no json_object mode; it is emulated with a system instruction and is not guaranteed. Use json_schema for enforced JSON.',
        },
      ],
    };
  }
  return { outputConfig: { format: { type: 'json_schema', schema: format.json_schema.schema ?? { type: 'object' } } }, warnings: [] };
}
