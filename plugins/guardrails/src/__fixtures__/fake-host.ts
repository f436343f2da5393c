/**
 * A minimal RequestContext / PluginHost to drive the plugin's hooks in tests: just what
 * guardrails touch (config.policiesFor, audit, state, headers, annotations, llm).
 */
import type {
  AuditEventInput,
  CanonicalChatRequest,
  CanonicalChatResponse,
  GatewayPlugin,
  PluginHost,
  PolicyRecord,
  RequestContext,
  StateKey,
  StreamPart,
} from '@portcullis/core';
import { createLlmCallState } from '@portcullis/core';
import type { z } from 'zod';
import type { GuardrailPolicy } from '../policy/schema';
import { createGuardrailsPlugin, guardrailsConfigSchema, type GuardrailsConfig, type GuardrailsPluginOptions } from '../plugin';

export interface FakeHost {
  host: PluginHost;
  audit: AuditEventInput[];
  setPolicies(levels: GuardrailPolicy[]): void;
  services: Map<string, unknown>;
}

export function fakeHost(levels: GuardrailPolicy[] = []): FakeHost {
  const audit: AuditEventInput[] = [];
  let records: PolicyRecord[] = [];
  const setPolicies = (policies: GuardrailPolicy[]): void => {
    const order = ['global', 'project', 'endpoint', 'token'] as const;
    records = policies.map((config, i) => ({
      id: `pol_${i}`,
      kind: 'guardrail',
      level: order[i] ?? 'token',
      version: i + 3,
      current: true,
      config: config as Record<string, unknown>,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    }));
  };
  setPolicies(levels);
  // Services the plugin provides to others (its policy validator), kept for assertions.
  const services = new Map<string, unknown>();
  const host = {
    apiVersion: 1,
    instanceId: 'test',
    environment: 'test',
    config: { policiesFor: () => records },
    audit: { record: (e: AuditEventInput) => void audit.push(e), flush: async () => {} },
    provide: (name: string, service: unknown) => void services.set(name, service),
    getService: (name: string) => services.get(name),
  } as unknown as PluginHost;
  return { host, audit, setPolicies, services };
}

export function fakeContext(request: CanonicalChatRequest, options: { stream?: boolean } = {}): RequestContext {
  const state = new Map<string, unknown>();
  const ctx = {
    id: 'req_1',
    startedAt: 0,
    startedAtIso: '2025-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/v1/chat/completions',
    ip: '127.0.0.1',
    headers: {},
    route: { id: 'chat', scope: 'chat', endpointSlug: null, public: false },
    params: {},
    body: request,
    project: null,
    endpoint: null,
    auth: null,
    llm: createLlmCallState({ request, stream: options.stream ?? false }),
    state: {
      get: <T>(key: StateKey<T>) => state.get(key.name) as T | undefined,
      set: <T>(key: StateKey<T>, value: T) => void state.set(key.name, value),
    },
    responseHeaders: new Map<string, string>(),
    logAnnotations: { versions: {}, metadata: {} },
    signal: new AbortController().signal,
  };
  return ctx as unknown as RequestContext;
}

/** A set-up plugin plus its teardown. */
export async function startPlugin(
  host: PluginHost,
  config: Partial<z.input<typeof guardrailsConfigSchema>> = {},
  options: GuardrailsPluginOptions = {},
): Promise<{ plugin: GatewayPlugin<GuardrailsConfig>; teardown: () => Promise<void> }> {
  const plugin = createGuardrailsPlugin(options);
  const parsed = guardrailsConfigSchema.parse({ names: { workers: 0 }, ...config });
  const teardown = await plugin.setup!(host, parsed);
  return { plugin, teardown: async () => void (await teardown?.()) };
}

export const userRequest = (content: string, stream = false): CanonicalChatRequest => ({
  model: 'openai:gpt-4o-mini',
  messages: [{ role: 'user', content }],
  stream,
});

export const textResponse = (content: string, toolArgs?: string): CanonicalChatResponse => ({
  id: 'resp_1',
  created: 0,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content,
        ...(toolArgs === undefined ? {} : { tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'send', arguments: toolArgs } }] }),
      },
      finishReason: { unified: 'stop', raw: 'stop' },
    },
  ],
});

/** Runs parts through onChunk and onStreamEnd; returns what the client would get. */
export function runStream(plugin: GatewayPlugin<GuardrailsConfig>, ctx: RequestContext, parts: StreamPart[]): StreamPart[] {
  const out: StreamPart[] = [];
  for (const part of parts) {
    const result = plugin.hooks!.onChunk!(ctx, part);
    if (result === undefined) out.push(part);
    else if (result !== null) out.push(...(Array.isArray(result) ? result : [result]));
  }
  out.push(...(plugin.hooks!.onStreamEnd!(ctx) ?? []));
  return out;
}

/** Concatenated text of one kind of delta. */
export const streamedText = (parts: StreamPart[]): string =>
  parts.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');
export const streamedArgs = (parts: StreamPart[]): string =>
  parts.map((p) => (p.type === 'tool-call-delta' ? p.argumentsDelta : '')).join('');
