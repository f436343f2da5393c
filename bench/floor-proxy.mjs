/**
 * The floor: the least a Node pass-through proxy must do for an OpenAI-shaped call. node:http in
 * front, an undici Pool behind, the JSON body parsed (a gateway has to look at it) and
 * re-serialised, the caller's Authorization swapped for the upstream key, and the answer piped
 * back as it arrives (so streams pass through). Nothing a real gateway could skip is skipped,
 * nothing beyond that is done: Portcullis's cost is reported as a ratio to this.
 */
import { createServer } from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';
import { argValue, reportReady, serveStatsOverIpc } from './child-stats.mjs';

const upstream = new URL(argValue('upstream', 'http://127.0.0.1:1'));
const upstreamKey = argValue('upstream-key', 'sk-bench-upstream');
const clientToken = argValue('client-token', 'pc_live_bench');
const pool = new Pool(upstream.origin, { connections: 256, pipelining: 1 });
// Response headers that describe the hop, not the payload, are not forwarded.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function fail(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
}

async function forward(req, res, raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return fail(res, 400, 'request body is not JSON');
  }
  try {
    const up = await pool.request({
      method: 'POST',
      path: `${upstream.pathname.replace(/\/$/, '')}/chat/completions`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${upstreamKey}` },
      body: JSON.stringify(body),
    });
    const headers = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP_HEADERS.has(k)) headers[k] = v;
    res.writeHead(up.statusCode, headers);
    pipeline(up.body, res, () => {});
  } catch (err) {
    if (!res.headersSent) fail(res, 502, `upstream unreachable: ${err.code ?? err.message}`);
    else res.destroy();
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) return fail(res, 404, 'not found');
  if (req.headers.authorization !== `Bearer ${clientToken}`) return fail(res, 401, 'bad token');
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => void forward(req, res, Buffer.concat(parts).toString('utf8')));
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  serveStatsOverIpc({
    onShutdown: async () => {
      server.closeAllConnections();
      await pool.close();
    },
  });
  reportReady({ url: `http://127.0.0.1:${server.address().port}/v1` });
});
