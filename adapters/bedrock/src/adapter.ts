import { randomUUID } from 'node:crypto';
import { ADAPTER_SPEC_VERSION, GatewayError, type ProviderAdapter, type Target, type UpstreamRequest } from '@portcullis/core';
import { mapBedrockError } from './errors';
import { createEventStreamFrameDecoder } from './frame-decoder';
import { buildConverseBody } from './request-body';
import { parseConverseResponse } from './response';
import { signRequest } from './sigv4';
import { createConverseStreamDecoder } from './stream-decoder';

export interface BedrockAdapterOptions {
  /** Milliseconds since the epoch; the SigV4 signing time and `created`. Injectable for golden tests. */
  now?: () => number;
  /** Response id when Bedrock sends no x-amzn-requestid header. */
  newId?: () => string;
}

export const DEFAULT_REGION = 'us-east-1';
/** The signing name of Bedrock Runtime (not `bedrock-runtime`). */
const SIGNING_SERVICE = 'bedrock';

function endpoint(target: Target, region: string, stream: boolean): URL {
  const base = (target.baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com`).replace(/\/+$/, '');
  return new URL(`${base}/model/${encodeURIComponent(target.model)}/${stream ? 'converse-stream' : 'converse'}`);
}

/**
 * Credential layout: `secret` is the AWS secret access key; `options.accessKeyId` (required),
 * `options.region` (default us-east-1) and `options.sessionToken` (temporary credentials).
 */
export function createBedrockAdapter(options: BedrockAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => `chatcmpl-${randomUUID()}`);

  return {
    specVersion: ADAPTER_SPEC_VERSION,
    providers: ['bedrock'],
    capabilities: { tools: true, streaming: true, images: true, json_mode: true, json_schema: true, logprobs: false, n: false, seed: false, embeddings: false },

    buildRequest(req, target): UpstreamRequest {
      const { accessKeyId, sessionToken } = target.credential.options;
      if (!accessKeyId) {
        throw new GatewayError('GW_ERR_UPSTREAM_AUTH', {
          message: 'The Bedrock credential is missing its accessKeyId option.',
          details: { credential: target.credential.id },
        });
      }
      const region = target.credential.options.region || DEFAULT_REGION;
      const stream = req.stream === true;
      const { body, warnings } = buildConverseBody(req);
      const serialised = JSON.stringify(body);
      const url = endpoint(target, region, stream);
      // Signed synchronously (see sigv4.ts); the Host header is signed from the URL and left to
      // the HTTP client, which derives the same value from the same URL.
      const { headers } = signRequest({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: stream ? 'application/vnd.amazon.eventstream' : 'application/json' },
        body: serialised,
        region,
        service: SIGNING_SERVICE,
        credentials: { accessKeyId, secretAccessKey: target.credential.secret, ...(sessionToken ? { sessionToken } : {}) },
        date: new Date(now()),
      });
      return { method: 'POST', url: url.toString(), headers, body: serialised, warnings };
    },

    parseResponse: (body, meta) => parseConverseResponse(body, meta, { now, newId }),
    createStreamDecoder: (target) => createConverseStreamDecoder(target),
    createFrameDecoder: createEventStreamFrameDecoder,
    mapError: mapBedrockError,
  };
}
