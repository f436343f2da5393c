import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';

/**
 * Validates values against OpenAI's own OpenAPI schemas, so conformance of the mocks and of
 * the gateway's OpenAI-compatible routes is judged by OpenAI's contract, not by ours.
 *
 *   const { validateOpenAI } = createOpenAISchemaValidator(defaultOpenAISpecPath());
 *   expect(validateOpenAI('CreateChatCompletionResponse', body)).toEqual([]);
 *
 * The spec is read and each schema compiled on first use, and cached inside the validator the
 * factory returns (no module-level cache): compile once per test file, not once per value.
 */
export interface OpenAISchemaValidator {
  /** Error messages (`/choices/0/index must be integer`); empty when the value is valid. */
  validateOpenAI(schemaName: string, value: unknown): string[];
}

/** `shared/specs/openai-openapi.json` next to the repository, from core/src or core/dist. */
export const defaultOpenAISpecPath = (): string => join(__dirname, '..', '..', '..', '..', 'shared', 'specs', 'openai-openapi.json');

/** Formats OpenAI uses that are annotations, not string formats JSON Schema knows. */
const ANNOTATION_FORMATS = ['unixtime', 'int64', 'int32', 'double', 'float', 'binary', 'byte'];

/**
 * The document says OpenAPI 3.1 but still carries 3.0's `nullable: true` in places (stream
 * chunks' finish_reason, logprobs, usage). JSON Schema 2020-12 has no such keyword, so it is
 * rewritten to its meaning: the schema, or null. (Ajv's own `nullable` support rejects it
 * beside `$ref` or `enum`, which is exactly where OpenAI uses it.)
 */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'nullable') out[key] = rewriteNullable(value);
  if ((node as { nullable?: unknown }).nullable !== true) return out;
  const description = out.description;
  delete out.description;
  return { ...(description === undefined ? {} : { description }), anyOf: [out, { type: 'null' }] };
}

const formatError = (e: ErrorObject): string => {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' || e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
};

export function createOpenAISchemaValidator(specPath: string = defaultOpenAISpecPath()): OpenAISchemaValidator {
  let ajv: Ajv2020 | undefined;
  const compiled = new Map<string, ValidateFunction>();

  const load = (): Ajv2020 => {
    if (ajv) return ajv;
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { components?: { schemas?: Record<string, unknown> } };
    if (!spec.components?.schemas) throw new Error(`${specPath} has no components.schemas`);
    // Loaded on first use: the testkit is importable by packages that never validate and
    // do not install ajv (it is a root dev dependency here).
    const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
    const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
    const instance = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(instance);
    for (const name of ANNOTATION_FORMATS) instance.addFormat(name, true);
    // Registered whole under one id, so every `#/components/schemas/...` $ref resolves.
    instance.addSchema({ $id: 'openai', components: rewriteNullable(spec.components) });
    ajv = instance;
    return instance;
  };

  const validatorFor = (schemaName: string): ValidateFunction => {
    const cached = compiled.get(schemaName);
    if (cached) return cached;
    const instance = load();
    let validate: ValidateFunction | undefined;
    try {
      validate = instance.getSchema(`openai#/components/schemas/${schemaName}`);
    } catch (err) {
      throw new Error(`OpenAI spec has no usable schema named ${schemaName}: ${String(err)}`);
    }
    if (!validate) throw new Error(`OpenAI spec has no schema named ${schemaName}`);
    compiled.set(schemaName, validate);
    return validate;
  };

  return {
    validateOpenAI(schemaName: string, value: unknown): string[] {
      const validate = validatorFor(schemaName);
      return validate(value) ? [] : (validate.errors ?? []).map(formatError);
    },
  };
}
