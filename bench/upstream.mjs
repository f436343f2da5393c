/**
 * A zero-latency OpenAI-shaped upstream for the bench. It does as little as possible so that the
 * processes in front of it are what gets measured: bodies are prebuilt, the request body is read
 * and parsed once (model + stream flag), and the answer goes out in one write.
 *
 * Models whose name contains "slow" answer like a real provider under light load: the first
 * byte after LATENCY_MS, then one content chunk every CHUNK_GAP_MS (the light-load phase).
 *
 * Models whose name contains "drip" stream like a long answer from a slow model (the soak): the
 * headers at once, then DRIP_CHUNKS content chunks DRIP_GAP_MS apart (50 x 500 ms = 25 s by
 * default), so a client that re-opens each stream as it ends holds that many streams open.
 */
import { createServer } from 'node:http';
import { argValue, reportReady, serveStatsOverIpc } from './child-stats.mjs';

export const CONTENT_CHUNKS = 20;
const LATENCY_MS = Number(argValue('latency-ms', '50'));
const CHUNK_GAP_MS = Number(argValue('chunk-gap-ms', '5'));
const DRIP_CHUNKS = Number(argValue('drip-chunks', '50'));
const DRIP_GAP_MS = Number(argValue('drip-gap-ms', '500'));
const PROMPT_TOKENS = 256;
const COMPLETION_TOKENS = CONTENT_CHUNKS;
const wordsOf = (count) => Array.from({ length: count }, (_, i) => `word${i} `);
const WORDS = wordsOf(CONTENT_CHUNKS);
const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: COMPLETION_TOKENS, total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS };

function jsonBody(model) {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: WORDS.join('') }, finish_reason: 'stop', logprobs: null }],
    usage,
  });
}

/** The SSE frames of one answer: role + content chunks (20 by default), finish, usage, [DONE]. */
function sseFrames(model, words = WORDS) {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const frame = (obj) => `data: ${JSON.stringify({ ...base, ...obj })}\n\n`;
  const frames = words.map((w, i) => frame({ choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: w } : { content: w }, finish_reason: null }] }));
  frames.push(frame({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  frames.push(frame({ choices: [], usage }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

const cache = new Map();
function prebuilt(model) {
  let entry = cache.get(model);
  if (!entry) {
    const frames = model.includes('drip') ? sseFrames(model, wordsOf(DRIP_CHUNKS)) : sseFrames(model);
    entry = { json: jsonBody(model), frames, sse: frames.join('') };
    cache.set(model, entry);
  }
  return entry;
}

function answer(req, res, raw) {
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json","type":"invalid_request_error"}}');
    return;
  }
  const model = typeof parsed.model === 'string' ? parsed.model : 'unknown';
  const body = prebuilt(model);
  const slow = model.includes('slow');
  if (parsed.stream !== true) {
    const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body.json);
    return slow ? setTimeout(send, LATENCY_MS) : send();
  }
  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  if (model.includes('drip')) return drip(res, sseHeaders, body.frames);
  if (!slow) {
    res.writeHead(200, sseHeaders).end(body.sse);
    return;
  }
  setTimeout(() => {
    res.writeHead(200, sseHeaders);
    let i = 0;
    const next = () => {
      res.write(body.frames[i++]);
      if (i < CONTENT_CHUNKS) setTimeout(next, CHUNK_GAP_MS);
      else res.end(body.frames.slice(i).join(''));
    };
    next();
  }, LATENCY_MS);
}

/** One content frame every DRIP_GAP_MS, then the closing frames; stops if the caller goes away. */
let dripOpen = 0;
function drip(res, headers, frames) {
  res.writeHead(200, headers);
  let i = 0;
  let timer = null;
  dripOpen++;
  res.on('close', () => {
    dripOpen--;
    clearTimeout(timer);
  });
  const next = () => {
    res.write(frames[i++]);
    if (i < DRIP_CHUNKS) timer = setTimeout(next, DRIP_GAP_MS);
    else res.end(frames.slice(i).join(''));
  };
  timer = setTimeout(next, DRIP_GAP_MS);
}

function handle(req, res) {
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
    res.writeHead(404).end();
    return;
  }
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => answer(req, res, Buffer.concat(parts).toString('utf8')));
}

// Several listeners = several upstream origins (the soak's --origins): a proxy keeps one
// connection pool per origin, so this is how to give it more than one pool's worth of streams.
const LISTENERS = Number(argValue('listeners', '1'));
const servers = Array.from({ length: LISTENERS }, () => {
  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  return server;
});
const listening = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const closed = (server) => new Promise((resolve) => server.close(resolve) && server.closeAllConnections());
await Promise.all(servers.map(listening));
serveStatsOverIpc({
  onShutdown: () => Promise.all(servers.map(closed)),
  // The soak's ground truth: how many drip streams the proxy in front really holds open.
  extra: () => ({ dripOpen }),
});
const urls = servers.map((server) => `http://127.0.0.1:${server.address().port}`);
reportReady({ url: urls[0], urls });
