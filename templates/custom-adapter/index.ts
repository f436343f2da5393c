import type { ProviderAdapter } from '@portcullis/core';
import { createAcmeAdapter } from './acme-adapter';

export { createAcmeAdapter } from './acme-adapter';
export { DEFAULT_BASE_URL } from './build-request';
/** What the host loads when portcullis.yaml names this package or path under `adapters:`. */
export const adapters: ProviderAdapter[] = [createAcmeAdapter()];
