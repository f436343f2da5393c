import type { Target } from '@portcullis/core';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'embedContent' | 'batchEmbedContents';

/**
 * The resource name of a model: `models/<id>`. Tuned models (`tunedModels/<id>`) and callers
 * that already pass `models/<id>` keep their prefix. Each segment is URL-encoded so a model id
 * can never inject a path or query.
 */
export function modelResourceName(model: string): string {
  const prefixed = /^(models|tunedModels)\//.test(model) ? model : `models/${model}`;
  return prefixed
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** `<base>/models/<model>:<method>`; streams ask for SSE framing (`alt=sse`), which core decodes. */
export function geminiUrl(target: Target, method: GeminiMethod): string {
  const base = (target.baseUrl ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const suffix = method === 'streamGenerateContent' ? '?alt=sse' : '';
  return `${base}/${modelResourceName(target.model)}:${method}${suffix}`;
}

/** The API key travels only in `x-goog-api-key`: a `?key=` URL would end up in access logs. */
export function geminiHeaders(target: Target, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-goog-api-key': target.credential.secret,
  };
  if (stream) headers.accept = 'text/event-stream';
  return headers;
}
