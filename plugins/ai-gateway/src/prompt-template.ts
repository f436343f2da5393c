import { Writer, type Context } from 'mustache';

/**
 * Prompt templates are Mustache (logic-less). Prompts are not HTML, so nothing is escaped:
 * `{{name}}` and `{{{name}}}` both insert the value as is. Objects and arrays are inserted as
 * JSON rather than "[object Object]". The writer below is private to one compiled template, so
 * rendering never reads or changes Mustache's global `escape`.
 */

/** Mustache token: [type, value, start, end, children?, ...]. */
type Token = [string, string, number, number, Token[]?, ...unknown[]];

const asText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

class PromptWriter extends Writer {
  override escapedValue(token: string[], context: Context): string {
    return asText(context.lookup(token[1]!));
  }
  override unescapedValue(token: string[], context: Context): string {
    return asText(context.lookup(token[1]!));
  }
}

export interface MissingVariable {
  /** The name as written in the template (`customer.name`). */
  name: string;
}

export interface PromptTemplate {
  /** Names the template interpolates outside any section; these must be present. */
  readonly requiredNames: readonly string[];
  /** Names of values the view lacks (null or absent) among requiredNames. */
  missing(view: Record<string, unknown>): MissingVariable[];
  render(view: Record<string, unknown>): string;
}

export type TemplateParse = { ok: true; template: PromptTemplate } | { ok: false; message: string };

function findPartial(tokens: Token[]): string | null {
  for (const token of tokens) {
    if (token[0] === '>') return token[1];
    const children = token[4];
    if (Array.isArray(children)) {
      const nested = findPartial(children);
      if (nested) return nested;
    }
  }
  return null;
}

/** Walks a dotted name the way Mustache does from the root view. */
function lookupPath(view: Record<string, unknown>, name: string): unknown {
  let value: unknown = view;
  for (const key of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function parsePromptTemplate(text: string): TemplateParse {
  const writer = new PromptWriter();
  let tokens: Token[];
  try {
    tokens = writer.parse(text) as Token[];
  } catch (err) {
    return { ok: false, message: `The template does not parse: ${(err as Error).message}.` };
  }
  const partial = findPartial(tokens);
  // There is nowhere to load partials from: a partial tag would silently render nothing.
  if (partial !== null) return { ok: false, message: `The template uses a partial ({{> ${partial}}}); partials are not supported.` };
  // Inside sections a missing name simply renders empty (that is what sections are for), so only
  // top-level interpolations are required.
  const requiredNames = [...new Set(tokens.filter((t) => (t[0] === 'name' || t[0] === '&') && t[1] !== '.').map((t) => t[1]))];
  return {
    ok: true,
    template: {
      requiredNames,
      missing: (view) => requiredNames.filter((name) => lookupPath(view, name) == null).map((name) => ({ name })),
      render: (view) => writer.render(text, view),
    },
  };
}
