import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The CLI verbs, run as an operator runs them: the built `portcullis` binary against a config
 * file and an embedded store. (Built output, like the cluster test: `npx tsc -b` first.)
 */
const CLI = resolve(__dirname, '../../dist/cli/main.js');
const PROJECT = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
let dir: string;
let config: string;
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');

function cli(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '-c', config], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', APP_KEY: KEY_A, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  config = join(dir, 'portcullis.yaml');
  writeFileSync(
    config,
    `store: { driver: embedded, path: ./data/p.db }
credentials: [ { name: main, provider: openai, secret: "\${OPENAI_API_KEY:-sk-cli-test-000000000000}", baseUrl: "http://127.0.0.1:1/v1" } ]
projects:
  - id: ${PROJECT}
    name: Cli
    type: ai_wrapper
    providers: [ { provider: openai, credential: main } ]
    tokens: [ { name: generated, scopes: [chat] } ]
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints usage and exits 2 without a command, 0 with --help', () => {
  expect(spawnSync(process.execPath, [CLI], { encoding: 'utf8' }).status).toBe(2);
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('portcullis <command>');
});

it('apply creates once and shows a generated token once; applying again changes nothing', () => {
  const first = cli(['apply']);
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/created \d+, updated 0, unchanged 0/);
  expect(first.out).toMatch(/token Cli\/generated \(shown once\): pc_live_[0-9A-Za-z]{43}/);
  const second = cli(['apply']);
  expect(second.out).toMatch(/created 0, updated 0, unchanged \d+/);
  expect(second.out).not.toContain('pc_live_');
});

it('refuses an invalid config with the field named, exit 1', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'server: { prot: 1 }\n');
  const r = spawnSync(process.execPath, [CLI, 'apply', '-c', bad], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', APP_KEY: KEY_A } });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('server: Unrecognized key');
});

it('serve and apply refuse credential options the provider rejects before storing anything, naming the field', () => {
  const bad = join(dir, 'entra.yaml');
  writeFileSync(
    bad,
    `server: { port: 0 }
store: { driver: embedded, path: ./data/entra.db }
adapters: ["${resolve(__dirname, '../../../adapters/openai/dist/index.js')}"]
credentials: [ { name: az, provider: azure-openai, secret: "client-secret-value-0000", baseUrl: "https://example.openai.azure.com", options: { auth: entra, clientId: "11111111-2222-3333-4444-555555555555" } } ]
`,
  );
  // serve, and apply on its own, both refuse before the store is touched.
  for (const verb of ['serve', 'apply']) {
    const r = spawnSync(process.execPath, [CLI, verb, '-c', bad], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env['PATH'] ?? '', APP_KEY: KEY_A, LOG_LEVEL: 'silent' } });
    expect([verb, r.status]).toEqual([verb, 1]);
    expect(r.stderr).toContain('credentials.0.options.tenantId');
    expect(r.stderr).not.toContain('client-secret-value-0000');
    expect(existsSync(join(dir, 'data', 'entra.db'))).toBe(false);
  }
});

it('token create shows the plaintext once; list shows only the prefix; revoke marks it revoked', () => {
  const created = cli(['token', 'create', '--project', 'Cli', '--name', 'ci', '--scopes', 'chat,models', '--expires-days', '7']);
  expect(created.code).toBe(0);
  const plaintext = /\s(pc_live_[0-9A-Za-z]{43})\s/.exec(created.out)![1]!;
  const id = /created token (\S+)/.exec(created.out)![1]!;
  const listed = cli(['token', 'list', '--project', PROJECT]);
  expect(listed.out).toContain(plaintext.slice(0, 12));
  expect(listed.out).not.toContain(plaintext);
  expect(listed.out).toMatch(new RegExp(`${id}\\tci\\t.*\\tchat,models\\tactive`));
  expect(cli(['token', 'revoke', id]).out).toContain(`revoked token ${id}`);
  expect(cli(['token', 'list']).out).toMatch(new RegExp(`${id}\\tci\\t.*\\trevoked`));
  expect(cli(['token', 'revoke', 'no-such-id']).code).toBe(1);
  expect(cli(['token', 'create', '--project', 'Nope', '--name', 'x']).err).toContain('no project with id or name "Nope"');
});

it('admin create-key prints a pc_admin_ key once', () => {
  const r = cli(['admin', 'create-key', '--name', 'ops', '--role', 'viewer']);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/created viewer key .* \(pc_admin_/);
  expect(r.out).toMatch(/\s pc_admin_[0-9A-Za-z]{43}\s/);
});

it('audit verify passes on the CLI-written chain, export writes NDJSON and CSV, and verify names an edited event', () => {
  expect(cli(['audit', 'verify']).out).toMatch(/audit chain intact: \d+ event\(s\) verified/);
  const ndjson = cli(['audit', 'export']).out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; seq: number });
  expect(ndjson.map((e) => e.event)).toEqual(expect.arrayContaining(['token.created', 'token.revoked', 'admin_key.created']));
  expect(cli(['audit', 'export', '--format', 'csv']).out.split('\n')[0]).toContain('seq');
  // Tamper with the second event directly in the database.
  const db = new Database(join(dir, 'data', 'p.db'));
  const row = db.prepare("SELECT id, doc FROM audit_events WHERE seq = 2").get() as { id: string; doc: string } | undefined;
  expect(row).toBeDefined();
  const doc = JSON.parse(row!.doc) as { metadata?: Record<string, unknown> };
  doc.metadata = { ...doc.metadata, forged: true };
  db.prepare('UPDATE audit_events SET doc = ? WHERE id = ?').run(JSON.stringify(doc), row!.id);
  db.close();
  const broken = cli(['audit', 'verify']);
  expect(broken.code).toBe(1);
  expect(broken.out).toContain('audit chain BROKEN at seq 2');
});

it('doctor says what is wrong in plain words', () => {
  const r = cli(['doctor']);
  expect(r.code).toBe(1); // the credential's upstream (port 1) is unreachable
  expect(r.out).toMatch(/ok\s+APP_KEY: set/);
  expect(r.out).toMatch(/ok\s+store: embedded reachable/);
  expect(r.out).toMatch(/FAIL\s+credential main: decrypts, but http:\/\/127\.0\.0\.1:1 is unreachable/);
  const wrongKey = cli(['doctor'], { APP_KEY: KEY_B });
  expect(wrongKey.code).toBe(1);
});

it('rotate-key re-encrypts under the new key; afterwards the old key is no longer needed', () => {
  expect(cli(['rotate-key'], { APP_KEY: KEY_B }).code).toBe(1); // without the old key nothing decrypts
  const rotated = cli(['rotate-key'], { APP_KEY: KEY_B, APP_KEY_PREVIOUS: KEY_A });
  expect(rotated.code).toBe(0);
  expect(rotated.out).toMatch(/re-encrypted [1-9]\d* record\(s\)/);
  const after = cli(['doctor'], { APP_KEY: KEY_B });
  expect(after.out).toMatch(/credential main: decrypts/);
  // Tokens survive the rotation: the token pepper was re-encrypted, not regenerated.
  expect(cli(['token', 'list'], { APP_KEY: KEY_B }).out).toContain('generated');
});
