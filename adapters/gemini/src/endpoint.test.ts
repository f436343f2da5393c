import type { Target } from '@portcullis/core';
import { geminiHeaders, geminiUrl, modelResourceName } from './endpoint';

const target = (model: string, baseUrl?: string): Target => ({
  provider: 'gemini',
  model,
  ...(baseUrl ? { baseUrl } : {}),
  credential: { id: 'c', name: 'c', secret: 'AIza-secret', options: {} },
});

describe('gemini endpoint', () => {
  it('uses the public v1beta base by default and asks streams for SSE', () => {
    expect(geminiUrl(target('gemini-2.5-flash'), 'generateContent')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(geminiUrl(target('gemini-2.5-flash'), 'streamGenerateContent')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('keeps models/ and tunedModels/ prefixes, trims trailing slashes, and encodes path-breaking characters', () => {
    expect(modelResourceName('models/gemini-2.0-flash')).toBe('models/gemini-2.0-flash');
    expect(modelResourceName('tunedModels/my-model')).toBe('tunedModels/my-model');
    expect(modelResourceName('evil?key=x#y')).toBe('models/evil%3Fkey%3Dx%23y');
    expect(geminiUrl(target('m', 'http://127.0.0.1:9/v1beta//'), 'embedContent')).toBe('http://127.0.0.1:9/v1beta/models/m:embedContent');
  });

  it('sends the key in x-goog-api-key only', () => {
    expect(geminiHeaders(target('m'), false)).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'AIza-secret' });
    expect(geminiHeaders(target('m'), true).accept).toBe('text/event-stream');
  });
});
