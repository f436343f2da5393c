/**
 * The one error catalogue. Every error a client can see is listed here once: its HTTP status,
 * the OpenAI envelope `type` and `code`, whether a retry may help, and a safe default message.
 * Codes are GW_ERR_<AREA>_<WHAT>; the public `code` in the envelope is the snake_case name
 * clients already handle for OpenAI (`invalid_api_key`, `rate_limit_exceeded`, ...).
 */
export interface CatalogueEntry {
  status: number;
  type: OpenAIErrorType;
  code: string;
  retryable: boolean;
  message: string;
}

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'server_error'
  | 'timeout_error';

const entry = (
  status: number,
  type: OpenAIErrorType,
  code: string,
  message: string,
  retryable = false,
): CatalogueEntry => ({ status, type, code, message, retryable });

export const ERROR_CATALOGUE = {
  // Request shape
  GW_ERR_REQUEST_INVALID_JSON: entry(400, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON.'),
  GW_ERR_REQUEST_INVALID: entry(400, 'invalid_request_error', 'invalid_request', 'The request is invalid.'),
  GW_ERR_REQUEST_TOO_LARGE: entry(413, 'invalid_request_error', 'request_too_large', 'The request body is too large.'),
  GW_ERR_REQUEST_UNSUPPORTED_MEDIA: entry(415, 'invalid_request_error', 'unsupported_media_type', 'The request body must be application/json.'),
  GW_ERR_REQUEST_VALIDATION: entry(422, 'invalid_request_error', 'validation_failed', 'The request failed validation.'),
  GW_ERR_ROUTE_NOT_FOUND: entry(404, 'invalid_request_error', 'unknown_url', 'Unknown request URL.'),
  GW_ERR_METHOD_NOT_ALLOWED: entry(405, 'invalid_request_error', 'method_not_allowed', 'Method not allowed for this URL.'),
  GW_ERR_FEATURE_UNSUPPORTED: entry(400, 'invalid_request_error', 'unsupported_parameter', 'This provider does not support a requested feature.'),

  // Auth and projects
  GW_ERR_AUTH_MISSING: entry(401, 'authentication_error', 'missing_api_key', 'You did not provide an API key. Send it as a Bearer token in the Authorization header.'),
  GW_ERR_AUTH_INVALID: entry(401, 'authentication_error', 'invalid_api_key', 'Incorrect API key provided.'),
  GW_ERR_AUTH_EXPIRED: entry(401, 'authentication_error', 'expired_api_key', 'The API key has expired.'),
  GW_ERR_AUTH_REVOKED: entry(401, 'authentication_error', 'revoked_api_key', 'The API key has been revoked.'),
  GW_ERR_AUTH_INACTIVE: entry(403, 'permission_error', 'token_inactive', 'The API key is deactivated.'),
  GW_ERR_AUTH_SCOPE: entry(403, 'permission_error', 'insufficient_scope', 'The API key lacks the scope this endpoint requires.'),
  GW_ERR_AUTH_ENDPOINT_DENIED: entry(403, 'permission_error', 'endpoint_not_allowed', 'The API key may not call this endpoint.'),
  GW_ERR_PROJECT_NOT_FOUND: entry(404, 'not_found_error', 'project_not_found', 'Project not found.'),
  GW_ERR_PROJECT_INACTIVE: entry(403, 'permission_error', 'project_inactive', 'project inactive'),
  GW_ERR_PROJECT_WRONG_TYPE: entry(404, 'invalid_request_error', 'unknown_url', 'This project does not serve that URL.'),

  // Model routing
  GW_ERR_MODEL_MISSING: entry(400, 'invalid_request_error', 'model_required', 'You must provide a model parameter.'),
  GW_ERR_MODEL_NOT_FOUND: entry(404, 'invalid_request_error', 'model_not_found', 'The model does not exist or you do not have access to it.'),
  GW_ERR_PROVIDER_UNKNOWN: entry(400, 'invalid_request_error', 'unknown_provider', 'Unknown provider.'),
  GW_ERR_PROVIDER_DISABLED: entry(403, 'permission_error', 'provider_disabled', 'This provider is not enabled for the project.'),
  GW_ERR_ENDPOINT_NOT_FOUND: entry(404, 'not_found_error', 'endpoint_not_found', 'Endpoint not found.'),

  // Limits, budgets, guardrails
  GW_ERR_RATE_LIMITED: entry(429, 'rate_limit_error', 'rate_limit_exceeded', 'Rate limit reached. Retry after the time in the Retry-After header.', true),
  GW_ERR_LIMITER_UNAVAILABLE: entry(503, 'server_error', 'limiter_unavailable', 'The rate limiter is unavailable and this policy fails closed.', true),
  GW_ERR_BUDGET_EXCEEDED: entry(402, 'insufficient_quota', 'budget_exceeded', 'The budget for this period is exhausted.'),
  GW_ERR_GUARDRAIL_BLOCKED: entry(422, 'invalid_request_error', 'guardrail_blocked', 'The request was blocked by a guardrail policy.'),
  GW_ERR_GUARDRAIL_TIMEOUT: entry(503, 'server_error', 'guardrail_timeout', 'Guardrail checks did not finish in time and the policy fails closed.', true),

  // Upstream
  GW_ERR_UPSTREAM_AUTH: entry(502, 'api_error', 'upstream_auth_failed', 'The upstream provider rejected the gateway credential.'),
  GW_ERR_UPSTREAM_FORBIDDEN: entry(502, 'api_error', 'upstream_forbidden', 'The upstream provider refused the request for this credential.'),
  GW_ERR_UPSTREAM_NOT_FOUND: entry(404, 'invalid_request_error', 'model_not_found', 'The upstream provider does not know this model or resource.'),
  GW_ERR_UPSTREAM_BAD_REQUEST: entry(400, 'invalid_request_error', 'upstream_bad_request', 'The upstream provider rejected the request.'),
  GW_ERR_UPSTREAM_RATE_LIMITED: entry(429, 'rate_limit_error', 'upstream_rate_limited', 'The upstream provider is rate limiting requests.', true),
  GW_ERR_UPSTREAM_OVERLOADED: entry(503, 'server_error', 'upstream_overloaded', 'The upstream provider is overloaded.', true),
  GW_ERR_UPSTREAM_ERROR: entry(502, 'api_error', 'upstream_error', 'The upstream provider returned an error.', true),
  GW_ERR_UPSTREAM_BAD_RESPONSE: entry(502, 'api_error', 'upstream_bad_response', 'The upstream provider returned a response the gateway could not read.', true),
  GW_ERR_UPSTREAM_TIMEOUT: entry(504, 'timeout_error', 'upstream_timeout', 'The upstream provider did not answer in time.', true),
  GW_ERR_UPSTREAM_UNREACHABLE: entry(502, 'api_error', 'upstream_unreachable', 'The upstream provider could not be reached.', true),
  GW_ERR_UPSTREAM_CONTENT_FILTER: entry(400, 'invalid_request_error', 'content_filter', 'The upstream provider blocked the content.'),
  GW_ERR_UPSTREAM_CONTEXT_LENGTH: entry(400, 'invalid_request_error', 'context_length_exceeded', 'The request exceeds the model context length.'),
  GW_ERR_OUTPUT_SCHEMA_MISMATCH: entry(502, 'api_error', 'output_schema_mismatch', 'The model did not return output matching the endpoint\'s output schema.'),

  // Proxy and OAuth
  GW_ERR_PROXY_SSRF: entry(403, 'permission_error', 'ssrf_blocked', 'The upstream address is not allowed.'),
  GW_ERR_OAUTH_NOT_CONNECTED: entry(409, 'invalid_request_error', 'oauth_not_connected', 'The OAuth connection is not connected.'),
  GW_ERR_OAUTH_REFRESH_FAILED: entry(502, 'api_error', 'oauth_refresh_failed', 'Refreshing the OAuth access token failed.'),
  GW_ERR_OAUTH_STATE_INVALID: entry(400, 'invalid_request_error', 'oauth_state_invalid', 'The OAuth state is invalid, expired or already used.'),

  // Gateway itself
  GW_ERR_INTERNAL: entry(500, 'server_error', 'internal_error', 'The gateway hit an internal error.'),
  GW_ERR_SHUTTING_DOWN: entry(503, 'server_error', 'shutting_down', 'The gateway is shutting down.', true),
  GW_ERR_STORE_UNAVAILABLE: entry(503, 'server_error', 'store_unavailable', 'The gateway store is unavailable.', true),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
