import type { JsonSchema } from '@portcullis/core';
import { isRecord } from './narrow';

/**
 * Gemini's `Schema` (function parameters, responseSchema) is a subset of OpenAPI 3.0, not full
 * JSON Schema: unknown keywords such as `additionalProperties`, `$schema` or `strict` make the
 * API answer 400 INVALID_ARGUMENT. We keep the keywords it documents, turn the common JSON
 * Schema idioms it lacks into their OpenAPI spelling, and report what we had to drop.
 */
const KEPT_KEYWORDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'properties',
  'required',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minProperties',
  'maxProperties',
  'anyOf',
  'propertyOrdering',
  'default',
  'example',
]);

/** Keywords that carry no meaning for generation; dropped without a warning. */
const SILENT_KEYWORDS = new Set(['$schema', '$id', '$comment', '$defs', 'definitions', 'strict', 'examples']);


export interface SanitisedSchema {
  schema: Record<string, unknown>;
  /** JSON-Schema keywords removed because Gemini rejects them (sorted, unique). */
  dropped: string[];
}

export function sanitiseSchema(input: JsonSchema): SanitisedSchema {
  const dropped = new Set<string>();
  const definitions = { ...asDefs(input.definitions), ...asDefs(input.$defs) };
  const schema = convert(input, definitions, dropped, new Set());
  return { schema, dropped: [...dropped].sort() };
}

const asDefs = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

function resolveRef(ref: string, definitions: Record<string, unknown>): unknown {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  return match ? definitions[match[1]!] : undefined;
}

function convert(
  node: Record<string, unknown>,
  definitions: Record<string, unknown>,
  dropped: Set<string>,
  /** Refs being expanded on this path: meeting one again means recursion, which Gemini's Schema cannot express. */
  expanding: ReadonlySet<string>,
): Record<string, unknown> {
  if (typeof node.$ref === 'string') {
    const target = resolveRef(node.$ref, definitions);
    if (isRecord(target) && !expanding.has(node.$ref)) return convert(target, definitions, dropped, new Set([...expanding, node.$ref]));
    dropped.add('$ref');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') continue;
    if (key === 'type') {
      Object.assign(out, convertType(value));
    } else if (key === 'enum' && Array.isArray(value)) {
      // Gemini enums hold values only; a JSON-Schema `null` member means "nullable".
      const members = value.filter((v) => v !== null);
      out.enum = members;
      if (members.length !== value.length) out.nullable = true;
    } else if (key === 'const') {
      // OpenAPI 3.0 has no `const`; a one-value enum says the same thing.
      out.enum = [value];
    } else if (key === 'oneOf' || key === 'anyOf') {
      // Gemini documents only anyOf; for generation oneOf's exclusivity adds nothing.
      if (Array.isArray(value)) out.anyOf = value.filter(isRecord).map((v) => convert(v, definitions, dropped, expanding));
    } else if (key === 'properties' && isRecord(value)) {
      const props: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) if (isRecord(sub)) props[name] = convert(sub, definitions, dropped, expanding);
      out.properties = props;
    } else if (key === 'items' && isRecord(value)) {
      out.items = convert(value, definitions, dropped, expanding);
    } else if (KEPT_KEYWORDS.has(key)) {
      out[key] = value;
    } else if (!SILENT_KEYWORDS.has(key)) {
      dropped.add(key);
    }
  }
  return out;
}

/** `type: ["string", "null"]` (JSON Schema) becomes `type: "string", nullable: true` (OpenAPI). */
function convertType(value: unknown): Record<string, unknown> {
  if (!Array.isArray(value)) return { type: value };
  const types = value.filter((t) => t !== 'null');
  const nullable = types.length !== value.length;
  const out: Record<string, unknown> = {};
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
  if (nullable) out.nullable = true;
  return out;
}

/** True when a schema is an object with no properties: Gemini rejects that as `parameters`. */
export function isEmptyObjectSchema(schema: Record<string, unknown>): boolean {
  return schema.type === 'object' && (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0);
}
