import { z } from 'zod';

/**
 * The config of one ai_gateway endpoint, as stored in EndpointRecord.config (and written under
 * `endpoints:` in portcullis.yaml). Unknown keys are errors: a typo must not silently drop a
 * schema or a preset.
 */
const pinnedTarget = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    /** Credential name or id; absent = the project's binding for the provider. */
    credential: z.string().min(1).optional(),
  })
  .strict();

const aliasTarget = z.object({ alias: z.string().min(1) }).strict();

export const targetSchema = z.union([pinnedTarget, aliasTarget]);

/** A JSON Schema document; compiled with ajv (see validateEndpointConfig), so kept open here. */
const jsonSchemaDocument = z.record(z.string(), z.unknown());

export const endpointConfigSchema = z
  .object({
    target: targetSchema,
    /** Tried in order when the primary fails with a retryable error. */
    fallbacks: z.array(targetSchema).default([]),
    systemPrompt: z.string().optional(),
    /** Mustache, logic-less; `{{input}}` is the request's input, other names come from `variables`. */
    template: z.string().default('{{input}}'),
    /** JSON Schema for the request's `variables`. */
    inputSchema: jsonSchemaDocument.optional(),
    /** JSON Schema the answer must match; the provider is asked for structured output. */
    outputSchema: jsonSchemaDocument.optional(),
    /** May clients ask for a stream? */
    stream: z.boolean().default(true),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().positive().optional(),
  })
  .strict();

export type EndpointTarget = z.infer<typeof targetSchema>;
export type EndpointConfig = z.infer<typeof endpointConfigSchema>;

export interface EndpointConfigIssue {
  /** Dotted path inside the config, e.g. `target.model` or `outputSchema`. */
  path: string;
  message: string;
}
