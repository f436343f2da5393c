import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One way a value breaks a schema: where (dotted, e.g. `customer.tags[1]`) and why. */
export interface SchemaViolation {
  path: string;
  message: string;
}

export interface CompiledJsonSchema {
  /** Empty when the value matches. */
  check(value: unknown): SchemaViolation[];
}

export type JsonSchemaCompilation = ({ ok: true } & CompiledJsonSchema) | { ok: false; message: string };

/**
 * A fresh ajv instance per schema: schemas from different endpoints may reuse an `$id`, and
 * one instance would refuse the second. The dialect follows `$schema` (draft-07 by default).
 */
function ajvFor(schema: Record<string, unknown>): Ajv {
  const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  const options = { allErrors: true, strict: false } as const;
  const ajv = dialect.includes('2020-12') ? new Ajv2020(options) : dialect.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

export function compileJsonSchema(schema: Record<string, unknown>): JsonSchemaCompilation {
  let validate: ValidateFunction;
  try {
    validate = ajvFor(schema).compile(schema);
  } catch (err) {
    return { ok: false, message: `Not a valid JSON Schema: ${(err as Error).message}` };
  }
  return {
    ok: true,
    check(value: unknown): SchemaViolation[] {
      if (validate(value)) return [];
      return (validate.errors ?? []).map(toViolation);
    },
  };
}

/** `/customer/tags/1` -> `customer.tags[1]` (JSON Pointer unescaped). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path === '' ? seg : `${path}.${seg}`), '');
}

const joinPath = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);

function toViolation(error: ErrorObject): SchemaViolation {
  const base = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  // ajv reports a missing or extra property at its parent; name the property itself.
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    const path = joinPath(base, params['missingProperty']);
    return { path, message: `'${path}' is required` };
  }
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    const path = joinPath(base, params['additionalProperty']);
    return { path, message: `'${path}' is not allowed` };
  }
  return { path: base, message: `${base === '' ? 'the value' : `'${base}'`} ${error.message ?? 'is invalid'}` };
}

/** For error messages: the first few violations, one line. */
export function describeViolations(violations: readonly SchemaViolation[], max = 5): string {
  const shown = violations.slice(0, max).map((v) => v.message);
  const more = violations.length > max ? `; and ${violations.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}
