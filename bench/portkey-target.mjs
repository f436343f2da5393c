/**
 * Portkey as one more bench target: install on demand, start as a measured child, and check it
 * really proxies to the bench upstream (JSON and SSE bodies are the mock's) before any figure is
 * taken from it. Portkey routes an OpenAI-shaped call by headers: the provider, a custom host
 * (the mock's base URL including /v1) and the caller's own upstream key as the bearer.
 */
import { request } from 'undici';
import { chatBody } from './load.mjs';
import { ensurePortkey } from './portkey-install.mjs';

export function portkeyHeaders(upstreamV1) {
  return { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamV1 };
}

async function reachesUpstream(url, token, headers) {
  for (const stream of [false, true]) {
    const res = await request(`${url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: chatBody('gpt-bench', stream),
    });
    const text = await res.body.text();
    const ok = res.statusCode === 200 && text.includes('chatcmpl-bench') && (!stream || text.trimEnd().endsWith('data: [DONE]'));
    if (!ok) return `${stream ? 'SSE' : 'JSON'} check got HTTP ${res.statusCode}: ${text.slice(0, 160)}`;
  }
  return null;
}

/**
 * Returns `{ target }` ready for the runner, or `{ skip }` with a printable reason.
 * `start(file, args)` is the runner's child starter (so the runner stops the child at the end).
 */
export async function startPortkeyTarget({ start, upstreamV1, upstreamKey, log }) {
  const installed = ensurePortkey(log);
  if (installed.skip) return { skip: installed.skip };
  let child;
  try {
    child = await start('./portkey.mjs', ['--server', installed.server]);
  } catch (err) {
    return { skip: `portkey did not start: ${err.message}` };
  }
  const headers = portkeyHeaders(upstreamV1);
  const problem = await reachesUpstream(child.ready.url, upstreamKey, headers).catch((err) => err.message);
  if (problem) {
    await child.stop();
    return { skip: `portkey does not reach the mock upstream: ${problem}` };
  }
  return { target: { name: 'portkey', child, url: child.ready.url, model: 'gpt-bench', slowModel: 'gpt-bench-slow', token: upstreamKey, headers } };
}
