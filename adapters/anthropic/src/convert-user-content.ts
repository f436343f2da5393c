import { GatewayError, type UserContentPart } from '@portcullis/core';
import type { AnthropicContentBlock, AnthropicImageBlock, AnthropicTextBlock } from './wire-types';

/** Image media types the Messages API accepts in a base64 source. */
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*);base64,(.*)$/s;

interface DataUrl {
  mediaType: string;
  data: string;
}

function parseBase64DataUrl(url: string): DataUrl | undefined {
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1]!.toLowerCase(), data: match[3]! };
}

const invalidContent = (message: string): GatewayError =>
  new GatewayError('GW_ERR_REQUEST_INVALID', { message, param: 'messages' });

const unsupportedContent = (message: string): GatewayError =>
  new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { message, param: 'messages' });

/** data: URLs become base64 sources; http(s) URLs are fetched by Anthropic itself (url source). */
export function toImageBlock(url: string): AnthropicImageBlock {
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  if (!url.startsWith('data:')) throw invalidContent('Image URLs must be http(s) URLs or base64 data: URLs.');
  const parsed = parseBase64DataUrl(url);
  if (!parsed) throw invalidContent('Image data: URLs must be base64 encoded (data:<media-type>;base64,<data>).');
  if (!IMAGE_MEDIA_TYPES.has(parsed.mediaType))
    throw unsupportedContent(`Anthropic accepts image/jpeg, image/png, image/gif and image/webp images, not ${parsed.mediaType}.`);
  return { type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } };
}

/** Only inline PDFs map onto Anthropic document blocks; OpenAI file ids mean nothing there. */
function toDocumentBlock(file: { file_data?: string; file_id?: string; filename?: string }): AnthropicContentBlock {
  if (file.file_data === undefined) throw unsupportedContent('Anthropic cannot read OpenAI file ids; send the file inline as file_data.');
  const parsed = parseBase64DataUrl(file.file_data);
  if (!parsed || parsed.mediaType !== 'application/pdf')
    throw unsupportedContent('Anthropic accepts inline files only as base64 PDF data: URLs (data:application/pdf;base64,...).');
  return {
    type: 'document',
    source: { type: 'base64', media_type: 'application/pdf', data: parsed.data },
    ...(file.filename ? { title: file.filename } : {}),
  };
}

/** Anthropic rejects empty text blocks, so empty strings produce no block at all. */
export const textBlocks = (text: string): AnthropicTextBlock[] => (text.length > 0 ? [{ type: 'text', text }] : []);

export function convertUserContent(content: string | UserContentPart[]): AnthropicContentBlock[] {
  if (typeof content === 'string') return textBlocks(content);
  return content.flatMap((part): AnthropicContentBlock[] => {
    switch (part.type) {
      case 'text':
        return textBlocks(part.text);
      case 'image_url':
        return [toImageBlock(part.image_url.url)];
      case 'file':
        return [toDocumentBlock(part.file)];
      case 'input_audio':
        throw unsupportedContent('Anthropic does not accept audio input.');
      default:
        throw invalidContent(`Unknown content part type "${String((part as { type?: unknown }).type)}".`);
    }
  });
}
