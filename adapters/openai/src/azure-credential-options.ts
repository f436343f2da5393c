import { GatewayError, type CredentialOptionIssue, type ResolvedCredential } from '@portcullis/core';

/** How an azure-openai credential authenticates: its `secret` is an api-key, or an Entra ID client secret. */
export type AzureAuthMode = 'api-key' | 'entra';

export const ENTRA_DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The audience Azure OpenAI data-plane tokens must carry (sovereign clouds use their own, e.g. `.azure.us`). */
export const ENTRA_DEFAULT_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** The Entra ID settings of a credential with `auth: entra`, defaults applied. */
export interface EntraSettings {
  tenantId: string;
  clientId: string;
  authorityHost: string;
  scope: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Multi-tenant aliases cannot issue app-only tokens: client credentials need the tenant itself. */
const SHARED_TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

function authorityHostIssue(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as https://login.microsoftonline.com';
  }
  // The client secret travels in the body: plain HTTP only to a local test double.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return 'must use https';
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    return 'must be the host alone (e.g. https://login.microsoftonline.us), without path, query or credentials';
  return null;
}

/** Every problem with an azure-openai credential's options, each naming the option. */
export function validateAzureCredentialOptions(options: Readonly<Record<string, string>>): CredentialOptionIssue[] {
  const issues: CredentialOptionIssue[] = [];
  const auth = options.auth;
  if (auth !== undefined && auth !== 'api-key' && auth !== 'entra') {
    issues.push({ option: 'auth', message: 'must be "api-key" (the default) or "entra"' });
    return issues;
  }
  if (auth !== 'entra') return issues;
  const tenantId = options.tenantId?.trim() ?? '';
  if (tenantId === '') issues.push({ option: 'tenantId', message: 'is required when auth is "entra" (the directory (tenant) ID or domain)' });
  else if (SHARED_TENANT_ALIASES.has(tenantId.toLowerCase())) issues.push({ option: 'tenantId', message: `must name your tenant; "${tenantId}" cannot issue app-only tokens` });
  else if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenantId)) issues.push({ option: 'tenantId', message: 'must be a tenant ID (GUID) or a domain name' });
  const clientId = options.clientId?.trim() ?? '';
  if (clientId === '') issues.push({ option: 'clientId', message: 'is required when auth is "entra" (the application (client) ID)' });
  else if (/\s/.test(clientId)) issues.push({ option: 'clientId', message: 'must not contain whitespace' });
  if (options.authorityHost !== undefined) {
    const problem = authorityHostIssue(options.authorityHost);
    if (problem) issues.push({ option: 'authorityHost', message: problem });
  }
  if (options.scope !== undefined && !/^\S+\/\.default$/.test(options.scope)) {
    issues.push({ option: 'scope', message: 'must be one resource with "/.default", e.g. https://cognitiveservices.azure.com/.default' });
  }
  return issues;
}

/** Refuses a misconfigured credential at request time, naming the option (never the secret). */
function refuse(credential: ResolvedCredential, issues: CredentialOptionIssue[]): never {
  const list = issues.map((i) => `option "${i.option}" ${i.message}`).join('; ');
  throw new GatewayError('GW_ERR_INTERNAL', {
    message: `The azure-openai credential is misconfigured: ${list}.`,
    details: { credential: credential.id, options: issues.map((i) => i.option) },
  });
}

export function azureAuthMode(credential: ResolvedCredential): AzureAuthMode {
  const auth = credential.options.auth;
  if (auth === undefined || auth === 'api-key') return 'api-key';
  if (auth === 'entra') return 'entra';
  return refuse(credential, validateAzureCredentialOptions(credential.options));
}

export function entraSettings(credential: ResolvedCredential): EntraSettings {
  const issues = validateAzureCredentialOptions(credential.options);
  if (issues.length > 0) refuse(credential, issues);
  const { tenantId = '', clientId = '' } = credential.options;
  return {
    tenantId: tenantId.trim(),
    clientId: clientId.trim(),
    authorityHost: (credential.options.authorityHost ?? ENTRA_DEFAULT_AUTHORITY_HOST).replace(/\/+$/, ''),
    scope: credential.options.scope ?? ENTRA_DEFAULT_SCOPE,
  };
}
