/**
 * The soak's two kinds of traffic, both checked answer by answer:
 * - background: a few connections of fast requests, alternating JSON and SSE, paced to a rate;
 * - slow streams: N loops that each hold one long streamed answer open and re-open it as it ends.
 * An error is a non-2xx status, a transport failure, or a stream whose reassembled content is not
 * the whole answer or that does not end with `data: [DONE]`.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { chatBody } from './load.mjs';

const MAX_ERRORS_KEPT = 5;

export function createCounters() {
  return {
    backgroundOk: 0, streamsDone: 0, inFlight: 0, flowing: 0,
    errors: 0, errorKinds: {}, firstErrors: [],
  };
}

function recordError(counters, kind, detail) {
  counters.errors++;
  counters.errorKinds[kind] = (counters.errorKinds[kind] ?? 0) + 1;
  if (counters.firstErrors.length < MAX_ERRORS_KEPT) counters.firstErrors.push(`${kind}: ${detail}`);
}

/** The content of an SSE answer, and whether it ended with [DONE]. */
function readSse(text) {
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    content += JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '';
  }
  return { content, done: text.trimEnd().endsWith('data: [DONE]') };
}

const expectedContent = (chunks) => Array.from({ length: chunks }, (_, i) => `word${i} `).join('');

/**
 * `connections` loops, each alternating JSON and SSE, together at most `rps` requests a second.
 * Requests still waiting when `drainSignal` aborts are errors (the gateway kept them queued).
 */
export async function background({ url, token, model, connections, rps, until, drainSignal, counters }) {
  const dispatcher = new Agent({ connections, pipelining: 1 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const bodies = [chatBody(model, false), chatBody(model, true)];
  const gapMs = rps > 0 ? (connections * 1000) / rps : 0;
  const loop = async (n) => {
    let next = performance.now() + (gapMs * n) / connections; // spread the loops' start times
    for (let i = n; performance.now() < until(); i++) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      next += gapMs;
      const stream = i % 2 === 1;
      try {
        const res = await request(`${url}/chat/completions`, { method: 'POST', headers, body: bodies[Number(stream)], dispatcher, signal: drainSignal });
        const text = await res.body.text();
        if (res.statusCode !== 200) recordError(counters, `bg_http_${res.statusCode}`, text.slice(0, 120));
        else if (stream && !readSse(text).done) recordError(counters, 'bg_sse_no_done', text.slice(-120));
        else if (!stream && !text.includes('"chat.completion"')) recordError(counters, 'bg_json_shape', text.slice(0, 120));
        else counters.backgroundOk++;
      } catch (err) {
        if (drainSignal.aborted) recordError(counters, 'bg_unfinished_after_run', 'still waiting at the drain deadline');
        else recordError(counters, 'bg_transport', err.code ?? err.message);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, n) => loop(n)));
  await dispatcher.destroy();
}

/**
 * `streams` loops each holding one slow streamed answer open (`chunks` content chunks expected),
 * spread round-robin over `targets` ([{ url, token }]: one project per upstream origin, or one).
 * Loop starts are spread over one stream's length so the re-opens do not come in waves. Streams
 * still open when `drainSignal` aborts (the run is over and they had time to finish) are errors.
 */
export async function slowStreams({ targets, model, streams, chunks, streamMs, until, drainSignal, counters }) {
  const dispatcher = new Agent({ connections: streams, pipelining: 1 });
  const body = chatBody(model, true);
  const expected = expectedContent(chunks);
  const once = async ({ url, token }) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    counters.inFlight++;
    let flowing = false;
    try {
      const res = await request(`${url}/chat/completions`, { method: 'POST', headers, body, dispatcher, signal: drainSignal });
      let text = '';
      for await (const part of res.body) {
        if (!flowing) {
          flowing = true;
          counters.flowing++;
        }
        text += part.toString('utf8');
      }
      if (res.statusCode !== 200) return recordError(counters, `stream_http_${res.statusCode}`, text.slice(0, 120));
      const { content, done } = readSse(text);
      if (!done) return recordError(counters, 'stream_no_done', text.slice(-120));
      if (content !== expected) return recordError(counters, 'stream_cut_short', `${content.length} of ${expected.length} content chars`);
      counters.streamsDone++;
    } catch (err) {
      if (drainSignal.aborted) recordError(counters, 'stream_unfinished_after_run', 'still open at the drain deadline');
      else recordError(counters, 'stream_transport', err.code ?? err.message);
    } finally {
      counters.inFlight--;
      if (flowing) counters.flowing--;
    }
  };
  const loop = async (_, n) => {
    await sleep(Math.random() * streamMs);
    while (performance.now() < until()) await once(targets[n % targets.length]);
  };
  await Promise.all(Array.from({ length: streams }, loop));
  await dispatcher.destroy();
}
