/**
 * Light load with a small undici client, because autocannon does not expose first-byte times:
 * `concurrency` loops each send one request at a time for `durationSec`, recording the time to
 * the first content token (first body bytes that carry `"content"`) and to the last byte.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { chatBody } from './load.mjs';

export async function lightLoad({ url, token, model, stream, concurrency, durationSec, headers: extraHeaders = {} }) {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const body = chatBody(model, stream);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extraHeaders };
  const ttft = [];
  const total = [];
  let failures = 0;
  const until = performance.now() + durationSec * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await request(`${url}/chat/completions`, { method: 'POST', headers, body, dispatcher });
        let first = null;
        let seen = '';
        for await (const chunk of res.body) {
          if (first === null) {
            const text = seen + chunk.toString('utf8');
            if (text.includes('"content"')) first = performance.now();
            // Carry a short tail over: enough to catch `"content"` split across two chunks.
            seen = text.slice(-16);
          }
        }
        const end = performance.now();
        if (res.statusCode !== 200) {
          failures++;
          continue;
        }
        ttft.push((first ?? end) - t0);
        total.push(end - t0);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await dispatcher.close();
  return { ttft: percentiles(ttft), total: percentiles(total), count: total.length, failures };
}

export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  return { p50: at(0.5), p99: at(0.99) };
}
