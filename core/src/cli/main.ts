#!/usr/bin/env node
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportAudit, type AuditExportFormat } from '../audit/export';
import { verifyAuditStore } from '../audit/verify';
import { checkCredentialOptions, serve } from '../app/serve';
import { applyConfig } from '../config/apply';
import { ConfigError, loadConfigFile } from '../config/load-config';
import { PluginBootError } from '../pipeline/plugin-registry';
import { createLogger } from '../util/logger';
import { startupBanner } from './banner';
import { adminCreateKey } from './commands/admin-keys';
import { doctor } from './commands/doctor';
import { rotateKey } from './commands/rotate-key';
import { tokenCreate, tokenList, tokenRevoke } from './commands/tokens';
import { openCliContext } from './context';
import { isClusterWorker, parseWorkerCount, runCluster } from './cluster';

const USAGE = `Usage: portcullis <command> [options]

Commands:
  serve   [-c portcullis.yaml] [--workers N]      run the gateway (applies the config first)
  apply   -f portcullis.yaml                       make the store match the config (idempotent)
  token   create --project <id|name> --name <n> [--scopes chat,models] [--env live|test] [--expires-days N] [--subject S]
  token   revoke <token-id>
  token   list [--project <id>]
  admin   create-key --name <n> [--role admin|viewer]
  rotate-key                                      re-encrypt secrets under APP_KEY (old key in APP_KEY_PREVIOUS)
  doctor                                          check store, Redis, APP_KEY and upstreams
  audit   verify                                  walk the audit hash chain, name the first broken link
  audit   export [--from ISO] [--to ISO] [--format ndjson|csv] [--out file]

Common: -c/--config <file> (default ./portcullis.yaml)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      file: { type: 'string', short: 'f' },
      workers: { type: 'string' },
      project: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      env: { type: 'string' },
      'expires-days': { type: 'string' },
      subject: { type: 'string' },
      role: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const configPath = resolve(values.file ?? values.config ?? 'portcullis.yaml');
  const logger = createLogger();
  const env = process.env;

  if (command === 'serve') {
    const config = loadConfigFile(configPath, env);
    const workers = isClusterWorker() ? 1 : parseWorkerCount(values.workers, config.server.workers);
    if (workers !== 1) return runCluster(configPath, workers, logger, env);
    const running = await serve(config, { baseDir: dirname(configPath), env, logger, skipApply: isClusterWorker() });
    process.stdout.write(`${startupBanner(config, running)}\n`);
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      running.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
      process.once(signal, () => process.exit(1));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    return -1; // keep running
  }

  // apply makes the same credential checks serve does, before the store is even opened.
  if (command === 'apply') await checkCredentialOptions(loadConfigFile(configPath, env), dirname(configPath));
  const ctx = await openCliContext(configPath, env, logger);
  try {
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'apply': {
        const result = await applyConfig(ctx.config, ctx);
        await ctx.announce('apply');
        process.stdout.write(`created ${result.created.length}, updated ${result.updated.length}, unchanged ${result.unchanged.length}\n`);
        for (const line of [...result.created.map((c) => `+ ${c}`), ...result.updated.map((u) => `~ ${u}`)]) process.stdout.write(`  ${line}\n`);
        for (const t of result.generatedTokens) process.stdout.write(`\ntoken ${t.project}/${t.name} (shown once): ${t.plaintext}\n`);
        return 0;
      }
      case 'token create': {
        if (!values.project || !values.name) throw new ConfigError('token create needs --project and --name');
        const environment = values.env === 'test' ? 'test' : 'live';
        const out = await tokenCreate(ctx, {
          project: values.project,
          name: values.name,
          scopes: (values.scopes ?? 'chat,models,embeddings').split(',').map((s) => s.trim()).filter(Boolean),
          environment,
          ...(values['expires-days'] ? { expiresInDays: Number(values['expires-days']) } : {}),
          ...(values.subject ? { subject: values.subject } : {}),
        });
        process.stdout.write(`${out}\n`);
        return 0;
      }
      case 'token revoke':
        if (!arg) throw new ConfigError('token revoke needs a token id');
        process.stdout.write(`${await tokenRevoke(ctx, arg)}\n`);
        return 0;
      case 'token list':
        process.stdout.write(`${await tokenList(ctx, values.project)}\n`);
        return 0;
      case 'admin create-key': {
        if (!values.name) throw new ConfigError('admin create-key needs --name');
        const role = values.role === 'viewer' ? 'viewer' : 'admin';
        process.stdout.write(`${await adminCreateKey(ctx, values.name, role)}\n`);
        return 0;
      }
      case 'rotate-key':
        process.stdout.write(`${await rotateKey(ctx)}\n`);
        return 0;
      case 'doctor': {
        const { ok, report } = await doctor(ctx, env);
        process.stdout.write(`${report}\n${ok ? 'All checks passed.' : 'Some checks failed (see FAIL lines).'}\n`);
        return ok ? 0 : 1;
      }
      case 'audit verify': {
        const result = await verifyAuditStore(ctx.store.audit);
        process.stdout.write(
          result.ok ? `audit chain intact: ${result.checked} event(s) verified\n` : `audit chain BROKEN at seq ${result.brokenAtSeq} (${result.reason}); ${result.checked} event(s) checked\n`,
        );
        return result.ok ? 0 : 1;
      }
      case 'audit export': {
        const format: AuditExportFormat = values.format === 'csv' ? 'csv' : 'ndjson';
        const text = await exportAudit(ctx.store.audit, { format, ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) });
        if (values.out) await new Promise<void>((r, j) => createWriteStream(values.out!).end(text, () => r()).on('error', j));
        else process.stdout.write(text);
        return 0;
      }
      default:
        process.stderr.write(`unknown command: ${command} ${sub ?? ''}\n\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof PluginBootError;
    // Exit explicitly once the message is out: a failed boot can leave handles open (a Redis
    // client retrying, a half-opened store) that would keep a dead gateway process alive.
    process.stderr.write(`portcullis: ${known ? (err as Error).message : (err as Error).stack ?? String(err)}\n`, () => process.exit(1));
  },
);
