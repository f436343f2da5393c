/**
 * Model ids arrive in many spellings for one price: dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-3-5-haiku-20241022`, `mistral-large-2411`), moving tags (`-latest`) and, on Bedrock,
 * cross-region inference prefixes (`us.anthropic...`). These helpers map a spelling to the
 * undated id the price table is keyed by; they never guess beyond removing such suffixes.
 */

/** `-2024-08-06`, `-20241022`, `-2411` / `-0613` (YYMM / MMDD), `-latest`. */
const TRAILING_DATE = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest)$/;

/** Removes one trailing date/tag suffix; returns the id unchanged when there is none. */
export function stripDateSuffix(model: string): string {
  return model.replace(TRAILING_DATE, '');
}

/** Bedrock cross-region inference profiles prefix the model id with a geography. */
const BEDROCK_GEO_PREFIX = /^(?:us|eu|apac|us-gov|ca|jp|au|global)\./;

export function stripBedrockGeoPrefix(model: string): string {
  return model.replace(BEDROCK_GEO_PREFIX, '');
}

/**
 * Candidate model ids to look up, most specific first: the id as given, then (for Bedrock)
 * without the geo prefix, then each of those without a date suffix. Duplicates removed.
 */
export function modelIdCandidates(provider: string, model: string): string[] {
  const bases = provider === 'bedrock' ? [model, stripBedrockGeoPrefix(model)] : [model];
  const out: string[] = [];
  for (const id of [...bases, ...bases.map(stripDateSuffix)]) {
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
