import { join } from 'node:path';
import { runAdapterContract } from '@portcullis/core/testkit';
import { adapters } from './index';

/** Golden fixtures live in one folder per provider id; every adapter must have one. */
const FIXTURES = join(__dirname, '__fixtures__');

for (const adapter of adapters) {
  runAdapterContract(adapter, join(FIXTURES, adapter.providers[0]!));
}
