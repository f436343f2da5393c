import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startHarness, type Harness } from '../../admin-graphql/src/__fixtures__/harness';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'setup-multi-provider.mjs');

/** Runs the script as CI would: a separate Node process talking HTTP to the admin API. */
async function runScript(h: Harness, extraEnv: Record<string, string> = {}) {
  const { stdout, stderr } = await run(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH, ADMIN_URL: h.url, ADMIN_KEY: h.adminKey, ...extraEnv } });
  const vars = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return { vars, stderr };
}

describe('templates/scripts/setup-multi-provider.mjs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('sets up three providers, aliases and a token through GraphQL, then swaps fast', async () => {
    const { vars } = await runScript(h);
    const projectId = vars.PORTCULLIS_PROJECT_ID!;
    expect(vars.PORTCULLIS_TOKEN).toMatch(/^pc_live_/);
    const snapshot = h.host.config.current();
    expect(snapshot.projects.get(projectId)).toMatchObject({ type: 'ai_wrapper', active: true });
    expect([...(snapshot.bindings.get(projectId)?.values() ?? [])].map((b) => [b.provider, b.enabled]).sort()).toEqual([
      ['anthropic', true],
      ['gemini', true],
      ['openai', true],
    ]);
    const aliases = snapshot.aliases.get(projectId)!;
    expect(aliases.get('fast')?.target).toBe('anthropic:claude-3-5-haiku-20241022');
    expect(aliases.get('fast')?.fallbacks).toEqual(['openai:gpt-4o-mini']);
    expect(aliases.get('smart')?.target).toMatch(/^anthropic:/);
    expect(aliases.get('cheap')?.target).toMatch(/^gemini:/);
    expect(snapshot.tokensByHash.get(h.host.tokens.hash(vars.PORTCULLIS_TOKEN!))?.projectId).toBe(projectId);
    const events = (await h.auditEvents()).map((e) => e.event);
    expect(events.filter((e) => e === 'alias.updated')).toHaveLength(1);
  });

  it('is idempotent: a second run reuses the project and credentials and only adds a token', async () => {
    const before = { projects: (await h.store.projects.find()).length, credentials: (await h.store.credentials.find()).length };
    const { vars, stderr } = await runScript(h);
    expect((await h.store.projects.find()).length).toBe(before.projects);
    expect((await h.store.credentials.find()).length).toBe(before.credentials);
    expect(stderr).toContain('credential openai-main: unchanged');
    expect(await h.store.tokens.find({ projectId: vars.PORTCULLIS_PROJECT_ID! })).toHaveLength(2);
  });

  it('rotates a credential whose secret changed, and fails clearly on a bad admin key', async () => {
    const { stderr } = await runScript(h, { OPENAI_API_KEY: 'sk-mock-openai-CHANGED-9999' });
    expect(stderr).toContain('credential openai-main: secret rotated');
    expect(stderr).toContain('credential gemini-main: unchanged');
    const forced = await runScript(h, { ROTATE_SECRETS: '1' });
    expect(forced.stderr).toContain('credential gemini-main: secret rotated');
    await expect(runScript(h, { ADMIN_KEY: `pc_admin_${'z'.repeat(40)}` })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('UNAUTHENTICATED') });
  });
});
