import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type, type GenerateContentResponse, type Tool } from '@google/genai';
import type { MockServer } from './mock-http';
import { startMockGemini } from './mock-gemini';

const KEY = 'mock-gemini-key';

describe('mock Gemini upstream, driven by the official @google/genai SDK', () => {
  let mock: MockServer;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    mock = await startMockGemini({ apiKey: KEY });
    ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: mock.url } });
  });
  afterAll(() => mock.close());

  const lastRequest = () => mock.requests[mock.requests.length - 1]!;

  it('answers generateContent with text, usageMetadata, modelVersion and the key in the header only', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'hello there',
      config: { systemInstruction: 'Be brief.' },
    });
    expect(res.text).toBe('Echo: hello there');
    expect(res.candidates?.[0]?.finishReason).toBe('STOP');
    expect(res.modelVersion).toBe('gemini-2.5-flash');
    const usage = res.usageMetadata!;
    expect(usage.promptTokenCount).toBeGreaterThan(0);
    expect(usage.candidatesTokenCount).toBe(Math.ceil('Echo: hello there'.length / 4));
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount! + usage.candidatesTokenCount!);
    const req = lastRequest();
    expect(req.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    expect(req.url).not.toContain(KEY);
  });

  it('streams generateContentStream as several chunks whose text joins to the answer', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'mock:chunks:3 stream me' });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => c.text ?? '').join('')).toBe('Echo: mock:chunks:3 stream me');
    expect(chunks[2]!.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks[0]!.candidates?.[0]?.finishReason).toBeUndefined();
    expect(chunks[2]!.usageMetadata?.candidatesTokenCount).toBe(Math.ceil('Echo: mock:chunks:3 stream me'.length / 4));
    expect(lastRequest().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('calls the declared function, and answers the function response', async () => {
    // The SDK spells schema types as the proto enum (OBJECT, STRING).
    const tools: Tool[] = [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
          },
        ],
      },
    ];
    const first = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather in Paris?', config: { tools } });
    expect(first.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);

    const second = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      config: { tools },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
      ],
    });
    expect(second.text).toBe('Tool result received: {"temp":21}');
  });

  it('behaves like Gemini 3: signs function calls and refuses a replayed call without its signature', async () => {
    const tools: Tool[] = [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } } } }] }];
    const model = 'gemini-3-pro-preview';
    const first = await ai.models.generateContent({ model, contents: 'Weather in Paris?', config: { tools } });
    const callPart = first.candidates![0]!.content!.parts![0]!;
    expect(callPart.functionCall).toEqual({ name: 'get_weather', args: { city: 'Paris' } });
    // Beside functionCall, as the SDK's Part type has it; standard base64 with the characters
    // that an id-safe encoding has to rewrite.
    expect(callPart.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(callPart.thoughtSignature).toMatch(/[+/]/);

    const replay = (part: Record<string, unknown>) =>
      ai.models.generateContent({
        model,
        config: { tools },
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
          { role: 'model', parts: [part] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
        ],
      });
    // With the signature it received, the SDK's own way of replaying the part: accepted.
    await expect(replay(callPart as Record<string, unknown>)).resolves.toMatchObject({ text: 'Tool result received: {"temp":21}' });
    // Google's documented skip value: accepted.
    await expect(replay({ functionCall: callPart.functionCall, thoughtSignature: 'skip_thought_signature_validator' })).resolves.toBeDefined();
    // Without it, or with one it never issued: Google's 400.
    const missing = await replay({ functionCall: callPart.functionCall }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(400);
    expect((missing as ApiError).message).toContain('missing a `thought_signature`');
    const forged = await replay({ functionCall: callPart.functionCall, thoughtSignature: 'Zm9yZ2Vk' }).catch((e: unknown) => e);
    expect((forged as ApiError).status).toBe(400);
    // Gemini 2.5 signs nothing and checks nothing.
    const older = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather in Paris?', config: { tools } });
    expect(older.candidates![0]!.content!.parts![0]!.thoughtSignature).toBeUndefined();
  });

  it('honours function calling mode NONE and JSON responseSchema', async () => {
    const none = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'no tools please',
      config: {
        tools: [{ functionDeclarations: [{ name: 'noop' }] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } },
      },
    });
    expect(none.text).toBe('Echo: no tools please');

    const json = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'a city',
      config: { responseMimeType: 'application/json', responseSchema: { type: Type.OBJECT, properties: { city: { type: Type.STRING } } } },
    });
    expect(JSON.parse(json.text!)).toEqual({ city: 'Paris' });
  });

  it('reports MAX_TOKENS when maxOutputTokens cuts the answer', async () => {
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'a rather long question here', config: { maxOutputTokens: 2 } });
    expect(res.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    // 2 tokens ~ 8 characters of "Echo: a rather long question here"
    expect(res.text).toBe('Echo: a ');
  });

  it('embeds with embedContent (the SDK sends batchEmbedContents) honouring outputDimensionality', async () => {
    const res = await ai.models.embedContent({ model: 'text-embedding-004', contents: ['one', 'two'], config: { outputDimensionality: 4 } });
    expect(res.embeddings).toHaveLength(2);
    expect(res.embeddings![0]!.values).toHaveLength(4);
    expect(res.embeddings![0]!.values).not.toEqual(res.embeddings![1]!.values);
    expect(lastRequest().url).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    const again = await ai.models.embedContent({ model: 'text-embedding-004', contents: ['one'], config: { outputDimensionality: 4 } });
    expect(again.embeddings![0]!.values).toEqual(res.embeddings![0]!.values);
  });

  it('serves the single :embedContent method too', async () => {
    const res = await fetch(`${mock.url}/v1beta/models/text-embedding-004:embedContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'one' }] } }),
    });
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(res.status).toBe(200);
    expect(body.embedding.values).toHaveLength(8);
  });

  const apiErrorOf = async (promise: Promise<unknown>): Promise<ApiError> => {
    const err: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  };

  it.each([400, 403, 404, 429, 500, 503])('surfaces mock:error:%i as the SDK ApiError with that status and Google status name', async (status) => {
    const err = await apiErrorOf(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `mock:error:${status}` }));
    expect(err.status).toBe(status);
    const body = JSON.parse(err.message) as { error: { code: number; status: string; details?: { retryDelay?: string }[] } };
    expect(body.error.code).toBe(status);
    expect(typeof body.error.status).toBe('string');
    if (status === 429) expect(body.error.details?.[0]?.retryDelay).toBe('2s');
  });

  it('rejects a wrong key with 400 API_KEY_INVALID, and a missing key with 401', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'not-the-key', httpOptions: { baseUrl: mock.url } });
    const err = await apiErrorOf(wrong.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('API_KEY_INVALID');

    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
  });

  it('answers unknown methods with 404, bad JSON and empty contents with 400', async () => {
    const post = (path: string, body: string) =>
      fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' }, body });
    expect((await post('/v1beta/models/gemini-2.5-flash:countTokens', '{}')).status).toBe(404);
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', '{oops')).status).toBe(400);
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', '{"contents":[]}')).status).toBe(400);
    expect((await post('/v1beta/models/gemini-2.5-flash:batchEmbedContents', '{"requests":[]}')).status).toBe(400);
  });

  it('sends an in-band error object after two chunks for mock:stream-error', async () => {
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'mock:stream-error please' }] }] }),
    });
    const events = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
    expect(events).toHaveLength(3);
    expect(events[0]).toHaveProperty('candidates');
    expect(events[2]).toEqual({ error: { code: 500, message: 'Mock in-stream error', status: 'INTERNAL' } });
  });

  it('answers mock:html-error with an HTML 502 and mock:garbage with an unreadable 200', async () => {
    const html = await apiErrorOf(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'mock:html-error' }));
    expect(html.status).toBe(502);
    expect(html.message).toContain('<html>');
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'mock:garbage' }] }] }),
    });
    expect(res.status).toBe(200);
    await expect(res.clone().json()).rejects.toThrow();
  });
});
