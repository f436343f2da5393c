import { GatewayError, type EndpointRecord, type Logger } from '@portcullis/core';
import { endpointConfigSchema, type EndpointConfig, type EndpointConfigIssue } from './endpoint-config';
import { compileJsonSchema, type CompiledJsonSchema } from './json-schema';
import { parsePromptTemplate, type PromptTemplate } from './prompt-template';

/** An endpoint config checked once and ready for the hot path. */
export interface CompiledEndpoint {
  readonly config: EndpointConfig;
  readonly template: PromptTemplate;
  readonly inputSchema: CompiledJsonSchema | null;
  readonly outputSchema: CompiledJsonSchema | null;
}

export type EndpointCompilation = { ok: true; endpoint: CompiledEndpoint } | { ok: false; issues: EndpointConfigIssue[] };

const dotted = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** The zod shape, then the template parses and both JSON Schemas compile. Never throws. */
export function compileEndpointConfig(raw: unknown): EndpointCompilation {
  const parsed = endpointConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: dotted(i.path), message: i.message })) };
  const config = parsed.data;
  const issues: EndpointConfigIssue[] = [];
  const template = parsePromptTemplate(config.template);
  if (!template.ok) issues.push({ path: 'template', message: template.message });
  const compile = (key: 'inputSchema' | 'outputSchema'): CompiledJsonSchema | null => {
    const schema = config[key];
    if (!schema) return null;
    const compiled = compileJsonSchema(schema);
    if (compiled.ok) return compiled;
    issues.push({ path: key, message: compiled.message });
    return null;
  };
  const inputSchema = compile('inputSchema');
  const outputSchema = compile('outputSchema');
  const inputType = config.inputSchema?.['type'];
  if (inputType !== undefined && inputType !== 'object')
    issues.push({ path: 'inputSchema.type', message: 'inputSchema describes the request\'s "variables" object, so its type must be "object".' });
  if (!template.ok || issues.length > 0) return { ok: false, issues };
  return { ok: true, endpoint: { config, template: template.template, inputSchema, outputSchema } };
}

/**
 * Compiled endpoints per (endpoint id, version). Only the newest version of each endpoint is
 * kept, so the cache is bounded by the number of endpoints. One cache per plugin instance.
 */
export class EndpointCache {
  private readonly entries = new Map<string, { version: number; result: EndpointCompilation }>();

  constructor(private readonly logger: Logger) {}

  get(record: EndpointRecord): CompiledEndpoint {
    let entry = this.entries.get(record.id);
    if (!entry || entry.version !== record.version) {
      entry = { version: record.version, result: compileEndpointConfig(record.config) };
      this.entries.set(record.id, entry);
      if (!entry.result.ok)
        this.logger.warn({ endpointId: record.id, slug: record.slug, version: record.version, issues: entry.result.issues }, 'ai-gateway endpoint config is invalid');
    }
    if (!entry.result.ok)
      throw new GatewayError('GW_ERR_INTERNAL', {
        message: 'This endpoint is misconfigured; an operator must fix its config.',
        details: { endpoint: record.slug, version: record.version, issues: entry.result.issues },
      });
    return entry.result.endpoint;
  }
}
