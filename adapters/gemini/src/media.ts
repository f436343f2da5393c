import type { Warning } from '@portcullis/core';
import type { GeminiPart } from './gemini-types';

/** Extensions Gemini accepts as image/document input, for `fileData` parts (it requires a mimeType). */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  gif: 'image/gif',
  pdf: 'application/pdf',
};

export function guessMimeType(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const ext = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}

/** `data:<mime>;base64,<data>` -> inlineData. Anything else with `data:` is not base64 we can pass on. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { mimeType: match[1]!, data: match[2]! } : undefined;
}

/**
 * An OpenAI `image_url` as a Gemini part: data URLs travel inline, http(s) URLs as `fileData`
 * (Gemini fetches them). Returns undefined, with a warning, when the URL cannot be sent.
 */
export function imagePart(url: string, warnings: Warning[]): GeminiPart | undefined {
  if (url.startsWith('data:')) {
    const parsed = parseDataUrl(url);
    if (parsed) return { inlineData: parsed };
    warnings.push({ type: 'other', setting: 'image_url', message: 'An image data URL is not base64-encoded; the image was not sent.' });
    return undefined;
  }
  if (/^https?:\/\//i.test(url)) {
    const mimeType = guessMimeType(url);
    if (mimeType) return { fileData: { fileUri: url, mimeType } };
    warnings.push({
      type: 'other',
      setting: 'image_url',
      message: 'Could not tell the image type from its URL; sent to Gemini without a mimeType, which it may reject.',
    });
    return { fileData: { fileUri: url } };
  }
  warnings.push({ type: 'unsupported-setting', setting: 'image_url', message: 'Only data: and http(s) image URLs are supported; the image was not sent.' });
  return undefined;
}
