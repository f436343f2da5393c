import type { ProviderAdapter } from '@portcullis/core';
import { createBedrockAdapter } from './adapter';

export { createBedrockAdapter, DEFAULT_REGION, type BedrockAdapterOptions } from './adapter';
export { createEventStreamFrameDecoder } from './frame-decoder';
export { signRequest, type SigV4Credentials, type SigV4Input } from './sigv4';

/** What the host loads by package name: one adapter serving provider id `bedrock`. */
export const adapters: ProviderAdapter[] = [createBedrockAdapter()];
