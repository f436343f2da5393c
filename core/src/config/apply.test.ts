import { randomBytes } from 'node:crypto';
import { EnvelopeSecretBox } from '../security/envelope';
import { HmacTokenService } from '../security/tokens';
import type { Store } from '../spec/store';
import { createStore } from '../store';
import { applyConfig } from './apply';
import { parseConfig } from './load-config';

const YAML = (secret: string, model = 'gpt-4o-mini') => `
credentials: [ { name: main, provider: openai, secret: "${secret}" } ]
projects:
  - name: Shop
    type: ai_wrapper
    providers: [ { provider: openai, credential: main } ]
    aliases: [ { name: fast, target: "openai:${model}" } ]
    tokens:
      - { name: pinned, scopes: [chat], value: "pc_live_PinnedTokenValueAbcdefghijklmn" }
      - { name: generated, scopes: [chat, models] }
    policies:
      - { kind: rate_limit, level: token, target: pinned, config: { rpm: 10 } }
`;

let store: Store;
const secrets = new EnvelopeSecretBox('apply-test-app-key-0123456789');
const tokens = new HmacTokenService(randomBytes(32));
beforeEach(async () => {
  store = await createStore({ driver: 'embedded', path: ':memory:' });
});
afterEach(() => store.close());

it('creates everything once, then changes nothing on a second apply', async () => {
  const config = parseConfig(YAML('sk-one-0000000000'), {});
  const first = await applyConfig(config, { store, secrets, tokens });
  expect(first.created).toHaveLength(7);
  expect(first.generatedTokens).toEqual([{ project: 'Shop', name: 'generated', plaintext: expect.stringMatching(/^pc_live_/) }]);
  const second = await applyConfig(config, { store, secrets, tokens });
  expect(second.created).toEqual([]);
  expect(second.updated).toEqual([]);
  expect(second.generatedTokens).toEqual([]);
  expect(await store.tokens.find()).toHaveLength(2);
});

it('stores secrets encrypted with a masked hint, and pinned tokens only as hashes', async () => {
  await applyConfig(parseConfig(YAML('sk-secret-1234567890abcd'), {}), { store, secrets, tokens });
  const [credential] = await store.credentials.find();
  expect(credential!.secretEnc).not.toContain('sk-secret');
  expect(secrets.decrypt(credential!.secretEnc)).toBe('sk-secret-1234567890abcd');
  expect(credential!.hint).toBe('sk-…abcd');
  const pinned = await store.tokens.findOne({ name: 'pinned' });
  expect(pinned!.hash).toBe(tokens.hash('pc_live_PinnedTokenValueAbcdefghijklmn'));
  expect(JSON.stringify(await store.tokens.find())).not.toContain('PinnedTokenValue');
});

it('updates what changed; a changed policy becomes a new version and the old one stays', async () => {
  await applyConfig(parseConfig(YAML('sk-one-0000000000'), {}), { store, secrets, tokens });
  const changed = parseConfig(YAML('sk-two-0000000000', 'gpt-4o').replace('rpm: 10', 'rpm: 20'), {});
  const result = await applyConfig(changed, { store, secrets, tokens });
  expect(result.updated.sort()).toEqual(['alias Shop/fast', 'credential main', 'policy Shop/rate_limit/token/pinned'].sort());
  const policies = await store.policies.find({ kind: 'rate_limit' });
  expect(policies.map((p) => [p.version, p.current, p.config['rpm']]).sort()).toEqual([
    [1, false, 10],
    [2, true, 20],
  ]);
});

it('refuses a binding to a credential that does not exist, naming both', async () => {
  const config = parseConfig(YAML('sk-x-000000000000').replace('credential: main', 'credential: missing'), {});
  await expect(applyConfig(config, { store, secrets, tokens })).rejects.toThrow('project Shop: provider openai names credential "missing", which does not exist');
});

it('converges when several instances apply the same file at once', async () => {
  const config = parseConfig(YAML('sk-one-0000000000'), {});
  await Promise.all([1, 2, 3].map(() => applyConfig(config, { store, secrets, tokens })));
  expect(await store.credentials.find()).toHaveLength(1);
  expect(await store.projects.find()).toHaveLength(1);
  expect((await store.tokens.find({ name: 'pinned' })).length).toBe(1);
});
