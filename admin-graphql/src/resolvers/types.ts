/** Resolver arguments arrive as unknown values and are parsed with zod inside each resolver. */
export type Args = Record<string, unknown>;
