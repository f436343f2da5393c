#!/usr/bin/env node
/**
 * Sets up a multi-provider AI wrapper through the Portcullis GraphQL admin API alone:
 * three credentials (openai, anthropic, gemini), one AI_WRAPPER project, three enabled provider
 * bindings, aliases fast / smart / cheap, one client token, then swaps `fast` to another provider.
 *
 *   ADMIN_URL=http://127.0.0.1:8080/admin/graphql ADMIN_KEY=pc_admin_… node setup-multi-provider.mjs
 *
 * Re-running is safe: credentials (by name), the project (by name), bindings and aliases are
 * reused or updated. A token's plaintext can only be shown when it is created, so every run
 * issues a new token. stdout carries only `KEY=value` lines (for `>> $GITHUB_ENV` or `source`);
 * progress goes to stderr. Plain Node 20, no dependencies.
 */

const env = (name, fallback) => process.env[name] ?? fallback;

const ADMIN_URL = env('ADMIN_URL', 'http://127.0.0.1:8080/admin/graphql');
const ADMIN_KEY = process.env.ADMIN_KEY;
const PROJECT_NAME = env('PROJECT_NAME', 'multi-provider-demo');

// Defaults point at local mock upstreams, so the script runs in CI without real provider keys.
const PROVIDERS = [
  { provider: 'openai', name: env('OPENAI_CREDENTIAL_NAME', 'openai-main'), secret: env('OPENAI_API_KEY', 'sk-mock-openai-0000000000000000'), baseUrl: env('OPENAI_BASE_URL', 'http://127.0.0.1:4010/v1') },
  { provider: 'anthropic', name: env('ANTHROPIC_CREDENTIAL_NAME', 'anthropic-main'), secret: env('ANTHROPIC_API_KEY', 'sk-ant-mock-000000000000000000'), baseUrl: env('ANTHROPIC_BASE_URL', 'http://127.0.0.1:4011') },
  { provider: 'gemini', name: env('GEMINI_CREDENTIAL_NAME', 'gemini-main'), secret: env('GEMINI_API_KEY', 'AIza-mock-gemini-00000000000000'), baseUrl: env('GEMINI_BASE_URL', 'http://127.0.0.1:4012/v1beta') },
];

const ALIASES = [
  { name: 'fast', target: env('FAST_TARGET', 'openai:gpt-4o-mini'), fallbacks: ['gemini:gemini-2.0-flash'] },
  { name: 'smart', target: env('SMART_TARGET', 'anthropic:claude-sonnet-4-20250514'), fallbacks: ['openai:gpt-4o'] },
  { name: 'cheap', target: env('CHEAP_TARGET', 'gemini:gemini-2.0-flash'), fallbacks: [] },
];
const FAST_SWAP_TARGET = env('FAST_SWAP_TARGET', 'anthropic:claude-3-5-haiku-20241022');

const progress = (message) => process.stderr.write(`${message}\n`);

async function gql(query, variables = {}) {
  const response = await fetch(ADMIN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`admin API answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) {
    const error = body.errors[0];
    const field = error.extensions?.field ? ` (field ${error.extensions.field})` : '';
    throw new Error(`admin API error ${error.extensions?.code ?? response.status}${field}: ${error.message}`);
  }
  return body.data;
}

/**
 * Same masking as the gateway's hint (first 3 … last 4), to skip rotating an unchanged secret.
 * A new secret with the same first 3 and last 4 characters looks unchanged: set ROTATE_SECRETS=1.
 */
const hintOf = (secret) => (secret.length <= 8 ? '…' : `${secret.slice(0, 3)}…${secret.slice(-4)}`);

async function ensureCredentials() {
  const { credentials } = await gql('{ credentials { id name provider hint baseUrl } }');
  const ids = {};
  for (const wanted of PROVIDERS) {
    const existing = credentials.find((c) => c.name === wanted.name);
    if (!existing) {
      const { createCredential } = await gql(
        'mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id hint } }',
        { input: { name: wanted.name, provider: wanted.provider, secret: wanted.secret, baseUrl: wanted.baseUrl } },
      );
      ids[wanted.provider] = createCredential.id;
      progress(`credential ${wanted.name}: created (${createCredential.hint})`);
      continue;
    }
    if (existing.provider !== wanted.provider) throw new Error(`credential ${wanted.name} exists for provider ${existing.provider}, not ${wanted.provider}`);
    if (existing.baseUrl !== wanted.baseUrl) {
      await gql('mutation($id: ID!, $baseUrl: String) { updateCredential(id: $id, input: { baseUrl: $baseUrl }) { id } }', { id: existing.id, baseUrl: wanted.baseUrl });
    }
    if (process.env.ROTATE_SECRETS === '1' || existing.hint !== hintOf(wanted.secret)) {
      await gql('mutation($id: ID!, $secret: String!) { rotateCredential(id: $id, secret: $secret) { id } }', { id: existing.id, secret: wanted.secret });
      progress(`credential ${wanted.name}: secret rotated`);
    } else {
      progress(`credential ${wanted.name}: unchanged`);
    }
    ids[wanted.provider] = existing.id;
  }
  return ids;
}

async function ensureProject() {
  const { projects } = await gql('{ projects { id name type active } }');
  const existing = projects.find((p) => p.name === PROJECT_NAME && p.type === 'AI_WRAPPER');
  if (existing) {
    if (!existing.active) await gql('mutation($id: ID!) { activateProject(id: $id) { id } }', { id: existing.id });
    progress(`project ${PROJECT_NAME}: reused ${existing.id}`);
    return existing.id;
  }
  const { createProject } = await gql('mutation($name: String!) { createProject(input: { name: $name, type: AI_WRAPPER }) { id } }', { name: PROJECT_NAME });
  progress(`project ${PROJECT_NAME}: created ${createProject.id}`);
  return createProject.id;
}

async function upsertAlias(projectId, alias) {
  await gql(
    'mutation($input: AliasInput!) { upsertAlias(input: $input) { name target } }',
    { input: { projectId, name: alias.name, target: alias.target, fallbacks: alias.fallbacks } },
  );
  progress(`alias ${alias.name} -> ${alias.target}`);
}

async function main() {
  if (!ADMIN_KEY) throw new Error('set ADMIN_KEY to an admin key (pc_admin_…)');
  const credentialIds = await ensureCredentials();
  const projectId = await ensureProject();

  for (const { provider } of PROVIDERS) {
    await gql(
      'mutation($input: ProviderBindingInput!) { upsertProviderBinding(input: $input) { id enabled } }',
      { input: { projectId, provider, credentialId: credentialIds[provider], enabled: true } },
    );
    progress(`provider ${provider}: enabled`);
  }
  for (const alias of ALIASES) await upsertAlias(projectId, alias);

  const { createToken } = await gql(
    'mutation($input: CreateTokenInput!) { createToken(input: $input) { plaintext token { id prefix } } }',
    { input: { projectId, name: `setup-script ${new Date().toISOString()}`, scopes: ['chat', 'models', 'embeddings'] } },
  );
  progress(`token ${createToken.token.prefix}: created (the plaintext below is shown once)`);

  // The flow a platform team automates: move `fast` to another provider without touching clients.
  const fast = ALIASES.find((a) => a.name === 'fast');
  await upsertAlias(projectId, { ...fast, target: FAST_SWAP_TARGET, fallbacks: [fast.target] });

  process.stdout.write(`PORTCULLIS_PROJECT_ID=${projectId}\n`);
  process.stdout.write(`PORTCULLIS_TOKEN_ID=${createToken.token.id}\n`);
  process.stdout.write(`PORTCULLIS_TOKEN=${createToken.plaintext}\n`);
}

main().catch((err) => {
  progress(`setup-multi-provider: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
