/**
 * Bench-only plugin (never shipped): reads each request's log record and keeps what the gateway
 * itself added to it, measured inside the gateway from the same clocks the request log uses:
 *   - first byte: ttfbMs (request start -> first byte to the client) minus upstreamLatencyMs
 *     (upstream request sent -> its response headers);
 *   - last byte: latencyMs minus upstreamLatencyMs (JSON: reading the body, answering).
 * Unlike the light-load client's figures these exclude the extra process hop and the scheduler
 * of a shared machine, so they say what the gateway's own code costs in latency.
 * The samples live in this module (the bench's gateway.mjs reads them through `takeSamples`).
 */
const { definePlugin, PLUGIN_API_VERSION } = require('@portcullis/core');

const samples = [];
/** Saturation runs log thousands of requests a second; only the newest are ever needed. */
const MAX_SAMPLES = 5000;

function createPlugin() {
  return definePlugin({
    name: 'bench-latency-probe',
    apiVersion: PLUGIN_API_VERSION,
    priority: 10_000,
    hooks: {
      onLog(_ctx, record) {
        if (record.upstreamLatencyMs == null || record.ttfbMs == null) return;
        if (samples.length >= MAX_SAMPLES) samples.shift();
        samples.push({ stream: record.stream, firstByte: record.ttfbMs - record.upstreamLatencyMs, total: record.latencyMs - record.upstreamLatencyMs });
      },
    },
  });
}

/** The samples logged since the last call (the runner's measurement window), then forgets them. */
function takeSamples() {
  return samples.splice(0, samples.length);
}

module.exports = { createPlugin, takeSamples };
