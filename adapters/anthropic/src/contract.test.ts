import { join } from 'node:path';
import { runAdapterContract } from '@portcullis/core/testkit';
import { createAnthropicAdapter } from './anthropic-adapter';

// A fixed clock: Anthropic responses carry no timestamp, so `created` comes from the clock.
const FIXED_NOW_MS = 1_700_000_000_000;

runAdapterContract(createAnthropicAdapter({ now: () => FIXED_NOW_MS }), join(__dirname, '__fixtures__'));
