/** Saturating load with autocannon (programmatic API): one target, one shape, fixed duration. */
import autocannon from 'autocannon';

/** ~1 KB of ordinary prose: long enough for the guardrail scan to cost what it costs on real prompts. */
export const PROMPT_1KB = (
  'Please summarise the following meeting notes for the weekly engineering update. ' +
  'The team reviewed the migration plan for the billing service, agreed to move the nightly jobs to the new scheduler, ' +
  'and discussed how to roll out the feature flags for the onboarding flow without disturbing existing customers. ' +
  'Open questions remain about the retention policy for old invoices and about which dashboards the support team needs. '
).repeat(3).slice(0, 1024);

export function chatBody(model, stream) {
  return JSON.stringify({ model, stream, messages: [{ role: 'user', content: PROMPT_1KB }], ...(stream ? { stream_options: { include_usage: true } } : {}) });
}

/** `headers` adds to the bearer + JSON headers (Portkey takes its routing in headers). */
export function runLoad({ url, token, model, stream, connections, durationSec, headers = {} }) {
  return autocannon({
    url: `${url}/chat/completions`,
    method: 'POST',
    connections,
    duration: durationSec,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: chatBody(model, stream),
  });
}
