import type { ProviderAdapter, Target, UpstreamEvent } from '../spec/adapter';
import type { CanonicalChatRequest, CanonicalChatResponse, EmbeddingsRequest, EmbeddingsResponse } from '../spec/chat';
import type { ChatResult, ConfigService, EarlyResponse, LlmCallOptions, LlmCallState, LlmService, PriceTable, RequestContext } from '../spec/plugin';
import type { StreamPart } from '../spec/stream';
import { GatewayError } from '../errors/gateway-error';
import { applyChunkHooks, applyResponseHooks, applyStreamEndHooks, runGateHooks } from '../pipeline/hook-runner';
import type { HookTable } from '../pipeline/plugin-registry';
import { createSseDecoder } from '../upstream/sse-decoder';
import type { Transport, UpstreamResponse } from '../upstream/transport';
import type { ModelRouter } from './model-router';
import { createLlmCallState } from './call-state';
import { applyAliasPresets } from './presets';
import { callWithFallbacks, type RetryPolicy } from './upstream-call';
import { estimateUsage, requestChars, responseChars } from './usage-estimate';

export interface LlmServiceDeps {
  adapters: ReadonlyMap<string, ProviderAdapter>;
  router: ModelRouter;
  transport: Transport;
  hooks: () => HookTable;
  prices: PriceTable;
  config: ConfigService;
  retry: RetryPolicy;
}

const requireProject = (ctx: RequestContext): string => {
  if (!ctx.project) throw new GatewayError('GW_ERR_PROJECT_NOT_FOUND');
  return ctx.project.id;
};

export class GatewayLlmService implements LlmService {
  constructor(private readonly deps: LlmServiceDeps) {}

  adapterFor(provider: string): ProviderAdapter | undefined {
    return this.deps.adapters.get(provider);
  }

  listModels(projectId: string): { id: string; isAlias: boolean; target?: string; provider: string }[] {
    const snapshot = this.deps.config.current();
    const out: { id: string; isAlias: boolean; target?: string; provider: string }[] = [];
    for (const alias of snapshot.aliases.get(projectId)?.values() ?? [])
      out.push({ id: alias.name, isAlias: true, target: alias.target, provider: alias.target.split(/[:/]/)[0] ?? 'unknown' });
    for (const binding of snapshot.bindings.get(projectId)?.values() ?? [])
      if (binding.enabled && this.deps.adapters.has(binding.provider)) out.push({ id: `${binding.provider}:*`, isAlias: false, provider: binding.provider });
    return out;
  }

  async chat(ctx: RequestContext, request: CanonicalChatRequest, options: LlmCallOptions = {}): Promise<ChatResult | { kind: 'early'; response: EarlyResponse }> {
    const llm = this.begin(ctx, 'chat', request, options);
    const early = await runGateHooks(this.deps.hooks().beforeUpstream, ctx);
    if (early) return { kind: 'early', response: early };
    const req = llm.request as CanonicalChatRequest;
    const call = await callWithFallbacks(ctx, llm, this.deps.adapters, this.deps.transport, this.deps.retry, (adapter, target) =>
      adapter.buildRequest({ ...req, model: target.model }, target),
    );
    if (!llm.stream) {
      const response = await this.readChatResponse(call.adapter, call.target, call.response);
      llm.outputChars = responseChars(response);
      if (response.usage) llm.usage = response.usage;
      this.finalizeUsage(llm);
      return { kind: 'response', response: await applyResponseHooks(this.deps.hooks().onResponse, ctx, response) };
    }
    const batches = this.streamBatches(ctx, llm, call.adapter, call.target, call.response);
    return { kind: 'stream', batches, parts: flatten(batches) };
  }

  async embeddings(
    ctx: RequestContext,
    request: EmbeddingsRequest,
    options: LlmCallOptions = {},
  ): Promise<EmbeddingsResponse | { kind: 'early'; response: EarlyResponse }> {
    const llm = this.begin(ctx, 'embeddings', request, options);
    for (const t of llm.targets)
      if (!this.deps.adapters.get(t.provider)?.embeddings)
        throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param: 'model', message: `The provider "${t.provider}" does not offer embeddings through this gateway.` });
    const early = await runGateHooks(this.deps.hooks().beforeUpstream, ctx);
    if (early) return { kind: 'early', response: early };
    const req = llm.request as EmbeddingsRequest;
    const call = await callWithFallbacks(ctx, llm, this.deps.adapters, this.deps.transport, this.deps.retry, (adapter, target) =>
      adapter.embeddings!.buildRequest({ ...req, model: target.model }, target),
    );
    const body = await readJson(call.response);
    const result = call.adapter.embeddings!.parseResponse(body, { status: call.response.status, headers: call.response.headers, target: call.target });
    llm.usage = { inputTokens: result.usage.inputTokens, outputTokens: 0, totalTokens: result.usage.totalTokens };
    this.finalizeUsage(llm);
    return result;
  }

  private begin(ctx: RequestContext, kind: 'chat' | 'embeddings', request: CanonicalChatRequest | EmbeddingsRequest, options: LlmCallOptions): LlmCallState {
    const projectId = requireProject(ctx);
    const route =
      options.targets && options.targets.length > 0
        ? this.deps.router.resolveRefs(ctx.snapshot, projectId, request.model, options.targets)
        : this.deps.router.resolve(ctx.snapshot, projectId, request.model);
    const prepared = kind === 'chat' ? applyAliasPresets(request as CanonicalChatRequest, route.alias) : request;
    const chat = kind === 'chat' ? (prepared as CanonicalChatRequest) : null;
    const llm = createLlmCallState({
      kind,
      requestedModel: route.requestedModel,
      alias: route.alias?.name ?? null,
      request: prepared,
      targets: route.targets,
      stream: chat?.stream === true,
      clientWantsUsage: chat?.stream_options?.include_usage === true,
    });
    ctx.llm = llm;
    return llm;
  }

  private async readChatResponse(adapter: ProviderAdapter, target: Target, res: UpstreamResponse): Promise<CanonicalChatResponse> {
    const body = await readJson(res);
    try {
      const parsed = adapter.parseResponse(body, { status: res.status, headers: res.headers, target });
      // Some providers (Gemini, Bedrock) send no timestamp: the gateway stamps the answer.
      if (!parsed.created) parsed.created = Math.floor(Date.now() / 1000);
      return parsed;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { cause: err });
    }
  }

  /** Usage from the upstream when it reported it, else an estimate; then the price. */
  private finalizeUsage(llm: LlmCallState): void {
    if (!llm.usage) {
      llm.usage = estimateUsage(requestChars(llm.request), llm.outputChars);
      llm.usageEstimated = true;
    }
    const target = llm.target;
    llm.costUsd = target ? this.deps.prices.cost(target.provider, target.model, llm.usage) : null;
  }

  private async *streamBatches(
    ctx: RequestContext,
    llm: LlmCallState,
    adapter: ProviderAdapter,
    target: Target,
    res: UpstreamResponse,
  ): AsyncGenerator<StreamPart[]> {
    const hooks = this.deps.hooks();
    const framer = adapter.createFrameDecoder ? adapter.createFrameDecoder() : createSseDecoder();
    const decoder = adapter.createStreamDecoder(target);
    const chunkHooks = hooks.onChunk.length > 0 ? hooks.onChunk : null;
    /** Accounts decoded parts (usage, output size) as they come from the provider. */
    const account = (decoded: StreamPart[], out: StreamPart[]): void => {
      for (const p of decoded) {
        if (p.type === 'usage') llm.usage = p.usage;
        else if (p.type === 'text-delta' || p.type === 'refusal-delta') llm.outputChars += p.text.length;
        else if (p.type === 'tool-call-delta') llm.outputChars += p.argumentsDelta.length;
        out.push(p);
      }
    };
    // One array per upstream read, filled by plain loops (this runs for every token of every
    // stream), then through the chunk hooks once as a batch.
    const decode = (events: UpstreamEvent[], last: boolean): StreamPart[] => {
      const out: StreamPart[] = [];
      for (const event of events) account(decoder.push(event), out);
      if (last) account(decoder.end(), out);
      return chunkHooks && out.length > 0 ? applyChunkHooks(chunkHooks, ctx, out) : out;
    };
    try {
      try {
        for await (const chunk of res.body) {
          const parts = decode(framer.push(chunk), false);
          if (parts.length > 0) yield parts;
        }
        const rest = decode(framer.end(), true);
        if (rest.length > 0) yield rest;
      } catch (err) {
        if (ctx.signal.aborted) return;
        const mapped = err instanceof GatewayError ? err : this.deps.transport.mapNetworkError(err, ctx.signal);
        yield [{ type: 'error', error: { code: mapped.publicCode, message: mapped.message, status: mapped.status, retryable: mapped.retryable } }];
      }
      if (hooks.onStreamEnd.length > 0) {
        const flushed = applyStreamEndHooks(hooks, ctx);
        if (flushed.length > 0) yield flushed;
      }
    } finally {
      this.finalizeUsage(llm);
      // Release the socket when the consumer stopped early (client gone).
      if (ctx.signal.aborted) void res.body.dump().catch(() => undefined);
    }
  }
}

async function readJson(res: UpstreamResponse): Promise<unknown> {
  const text = await res.body.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: 'The upstream provider returned a body that is not JSON.', cause: err });
  }
}

/** One part at a time from the batches; lazy, so a route that reads `batches` never starts it. */
async function* flatten(batches: AsyncIterable<StreamPart[]>): AsyncGenerator<StreamPart> {
  for await (const batch of batches) yield* batch;
}
