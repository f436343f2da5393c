import type { RequestContext } from '@portcullis/core';

/** x-portcullis-provider / -model / -endpoint say where the request went. */
export function setRoutingHeaders(ctx: RequestContext): void {
  const target = ctx.llm?.target;
  if (target) {
    ctx.responseHeaders.set('x-portcullis-provider', target.provider);
    ctx.responseHeaders.set('x-portcullis-model', target.model);
  }
  if (ctx.endpoint) ctx.responseHeaders.set('x-portcullis-endpoint', `${ctx.endpoint.slug}@${ctx.endpoint.version}`);
  const warnings = ctx.llm?.warnings ?? [];
  if (warnings.length > 0)
    ctx.responseHeaders.set('x-portcullis-warnings', warnings.map((w) => (w.setting ? `${w.type}:${w.setting}` : w.type)).join(', '));
}
