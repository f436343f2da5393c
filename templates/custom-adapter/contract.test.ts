import { join } from 'node:path';
import { runAdapterContract } from '@portcullis/core/testkit';
import { createAcmeAdapter } from './acme-adapter';

// The shared suite every adapter passes, driven by the golden fixtures in __fixtures__.
runAdapterContract(createAcmeAdapter(), join(__dirname, '__fixtures__'));
