import type { ProviderAdapter } from '@portcullis/core';
import { createAnthropicAdapter } from './anthropic-adapter';

export { createAnthropicAdapter, type AnthropicAdapterOptions } from './anthropic-adapter';
export { DEFAULT_MAX_TOKENS } from './build-request';

/** What the host loads by package name (AdapterModule). */
export const adapters: ProviderAdapter[] = [createAnthropicAdapter()];
