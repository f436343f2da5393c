import type { ProviderAdapter } from '@portcullis/core';
import { geminiAdapter } from './adapter';

export { geminiAdapter } from './adapter';
export { GEMINI_DEFAULT_BASE_URL } from './endpoint';
export { sanitiseSchema } from './schema';

/** What the host loads: `adapters` per the AdapterModule contract. */
export const adapters: ProviderAdapter[] = [geminiAdapter];
