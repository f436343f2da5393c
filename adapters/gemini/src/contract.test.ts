import { join } from 'node:path';
import { runAdapterContract } from '@portcullis/core/testkit';
import { geminiAdapter } from './adapter';

runAdapterContract(geminiAdapter, join(__dirname, '__fixtures__'));
