import { z } from 'zod';
import { badInput } from './errors';

/**
 * Parses a resolver argument with zod; the first issue becomes BAD_USER_INPUT whose
 * `extensions.field` is the dotted path inside the argument (`baseUrl`, `presets.temperature`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, fieldPrefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [fieldPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
  throw badInput(path || fieldPrefix || 'input', issue.message);
}

export const idSchema = z.string().trim().min(1).max(200);
export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);
export const providerSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a provider id such as openai, anthropic, gemini (lowercase letters, digits, - and _)');
export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without user:password');
export const isoTimeSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value), 'must be an ISO-8601 date-time');
export const stringMapSchema = z.record(z.string().max(200), z.string().max(2000)).refine((map) => Object.keys(map).length <= 50, 'at most 50 entries');
export const jsonObjectSchema = z.record(z.string(), z.unknown());
