import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { StoreConflictError, isGatewayError, type Logger } from '@portcullis/core';

/** Error codes this API returns in `extensions.code`, besides Apollo's own GRAPHQL_* codes. */
export type AdminErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CREDENTIAL_IN_USE'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Partial<Record<AdminErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
};

export function adminError(code: AdminErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  // extensions.http sets the HTTP status of whole-request failures (auth, limits); Apollo strips it.
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
}

export const badInput = (field: string, message: string): GraphQLError => adminError('BAD_USER_INPUT', `${field}: ${message}`, { field });

export const notFound = (entity: string, id: string): GraphQLError =>
  adminError('NOT_FOUND', `${entity} ${JSON.stringify(id)} not found`, { entity });

/** Codes whose messages were written for clients (ours and Apollo's request-level ones). */
const SAFE_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'CREDENTIAL_IN_USE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: our codes pass through; store conflicts and catalogued client errors
 * become CONFLICT / BAD_USER_INPUT; anything else is an internal error whose message (which might
 * name a file, a query or a secret) is logged and replaced. Stack traces are never included.
 */
export function createErrorFormatter(logger: Logger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof StoreConflictError) {
      return { ...base, message: `${original.entity}: ${original.fields.join(', ')} already in use`, extensions: { code: 'CONFLICT', field: original.fields.at(-1) } };
    }
    if (isGatewayError(original) && original.status < 500) {
      return { ...base, message: original.message, extensions: { code: 'BAD_USER_INPUT', field: original.param } };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
    if (SAFE_CODES.has(code)) {
      const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    logger.error({ err: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original), path: formatted.path }, 'admin-graphql: internal error');
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
