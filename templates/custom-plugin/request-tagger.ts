import { z } from 'zod';
import { createStateKey, definePlugin, PLUGIN_API_VERSION, type GatewayPlugin, type RequestContext } from '@portcullis/core';

/**
 * request-tagger: a starter plugin. It stamps every response with a header naming this
 * deployment (optionally refined per team by a client header) and writes the same tag into the
 * request's log record, so logs and client-side traces can be joined.
 *
 * It uses only the public `@portcullis/core` API: definePlugin, a zod config schema (validated
 * at boot: a bad config stops the gateway), a typed per-request state slot, and two hooks.
 */
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** What a client may put in the team header: short and log-safe (no spaces, quotes or newlines). */
const TEAM_VALUE = /^[A-Za-z0-9._-]{1,32}$/;

export const requestTaggerConfigSchema = z
  .object({
    /** The tag itself, e.g. the deployment or region name. */
    tag: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'tag uses letters, digits, ".", "_" and "-" (at most 64)'),
    /** Response header that carries the tag. */
    responseHeader: z.string().regex(HEADER_NAME, 'not a valid header name').default('x-portcullis-tag'),
    /** Optional request header whose (validated) value is appended: `<tag>/<team>`. */
    teamHeader: z.string().regex(HEADER_NAME, 'not a valid header name').optional(),
    /** Key under the log record's metadata. */
    logKey: z.string().min(1).max(40).default('tag'),
  })
  .strict();

export type RequestTaggerConfig = z.output<typeof requestTaggerConfigSchema>;

/** This plugin's slot in each request's state (typed, namespaced by name). */
const TAG = createStateKey<string>('request-tagger.tag');

/** The tag for one request: the configured tag, refined by a well-formed team header. */
export function tagFor(config: RequestTaggerConfig, headers: RequestContext['headers']): string {
  if (!config.teamHeader) return config.tag;
  const raw = headers[config.teamHeader.toLowerCase()];
  const team = Array.isArray(raw) ? raw[0] : raw;
  // A malformed value is ignored, not echoed: it would otherwise flow into headers and logs.
  return team !== undefined && TEAM_VALUE.test(team) ? `${config.tag}/${team}` : config.tag;
}

/** A fresh instance per gateway: the config lives in this closure, never at module level. */
export function createRequestTaggerPlugin(): GatewayPlugin<RequestTaggerConfig> {
  let config: RequestTaggerConfig | null = null;
  const current = (): RequestTaggerConfig => {
    if (!config) throw new Error('request-tagger used before setup');
    return config;
  };

  return definePlugin<RequestTaggerConfig>({
    name: 'request-tagger',
    apiVersion: PLUGIN_API_VERSION,
    // Below auth (1000): an unauthenticated request is refused before it is tagged.
    priority: 500,
    configSchema: requestTaggerConfigSchema,
    setup(host, validated) {
      config = validated;
      host.logger.info({ tag: validated.tag }, 'request-tagger ready');
      return () => {
        config = null;
      };
    },
    hooks: {
      onRequest(ctx) {
        const tag = tagFor(current(), ctx.headers);
        ctx.state.set(TAG, tag);
        // Sent with whatever answer this request gets (JSON, SSE or an error envelope).
        ctx.responseHeaders.set(current().responseHeader, tag);
      },
      onLog(ctx, record) {
        // Runs after the client has its answer; annotating the record is all it may do.
        const tag = ctx.state.get(TAG);
        if (tag !== undefined) record.metadata = { ...record.metadata, [current().logKey]: tag };
      },
    },
  });
}
