/**
 * Portkey's open-source gateway as a measured bench child. Portkey's server is imported into this
 * process (rather than spawned) so the same child-stats window measures it: process.cpuUsage and
 * peak RSS of the process that serves Portkey's requests, exactly as for the floor and Portcullis.
 *
 * Portkey takes its port only as `--port=N` on its own argv and listens on all interfaces; it is
 * run `--headless` with NODE_ENV=production (no log UI, no log streaming), as a deployment would.
 */
import { createServer, connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { argValue, reportReady, serveStatsOverIpc } from './child-stats.mjs';

const serverFile = argValue('server', null);
if (!serverFile) throw new Error('portkey.mjs needs --server <path to start-server.js>');

/** Portkey cannot listen on port 0 and tell us the port, so ask the OS for a free one first. */
const freePort = () => new Promise((resolve, reject) => {
  const probe = createServer().once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

const accepts = (port) => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1', () => socket.end(() => resolve(true))).once('error', () => resolve(false));
});

const port = await freePort();
process.argv.push(`--port=${port}`, '--headless');
process.env.NODE_ENV = 'production';
// Resolves after Portkey's startup banner (~1 s), by which time its server listens.
await import(pathToFileURL(serverFile).href);
for (let tries = 0; !(await accepts(port)); tries++) {
  if (tries > 100) throw new Error(`portkey did not listen on ${port}`);
  await new Promise((r) => setTimeout(r, 100));
}

serveStatsOverIpc({ onShutdown: async () => {} });
reportReady({ url: `http://127.0.0.1:${port}/v1` });
