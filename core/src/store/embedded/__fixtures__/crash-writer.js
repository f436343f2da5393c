/* eslint-disable */
// Child process for the SIGKILL durability test: writes config through the embedded store and
// reports each write on stdout only after the store says it committed. The parent kills it
// with SIGKILL mid-stream and checks that every reported write survived.
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

// Load the TypeScript sources directly (the test must exercise the real store, not a build).
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const { openEmbeddedStore } = require('../embedded-store.ts');

async function main() {
  const store = openEmbeddedStore({ path: process.argv[2] });
  for (let i = 0; ; i += 1) {
    const project = await store.projects.create({
      name: `crash-${i}`,
      type: 'ai_wrapper',
      environment: 'production',
      active: true,
      logBodies: false,
      metadata: { i: String(i) },
    });
    const event = await store.audit.append({ event: 'project.created', severity: 'info', actor: { type: 'system' }, target: { type: 'project', id: project.id } });
    await store.settings.set('last', String(i));
    process.stdout.write(`committed ${project.id} ${event.seq} ${i}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
