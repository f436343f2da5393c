import { DEFAULT_CONNECTION_FIRST } from '../limits';

/**
 * The admin API schema. Times are ISO-8601 strings (UTC). Enums are UPPER_CASE on the wire and
 * map to the store's lower-case values in resolvers/enums.ts. Secrets are input-only.
 */
export const typeDefs = /* GraphQL */ `#graphql
  "Arbitrary JSON (plugin-defined configs, metadata, presets)."
  scalar JSON

  enum ProjectType { AI_WRAPPER AI_GATEWAY API_PROXY }
  enum TokenEnvironment { LIVE TEST }
  enum PolicyKind { RATE_LIMIT BUDGET GUARDRAIL }
  enum PolicyLevel { GLOBAL PROJECT ENDPOINT TOKEN ALIAS }
  enum AdminRole { ADMIN VIEWER }
  enum AuditSeverity { INFO WARNING CRITICAL }
  enum AuditExportFormat { NDJSON CSV }
  enum UsageGroupBy { PROJECT PROVIDER MODEL TOKEN }

  type PageInfo { hasNextPage: Boolean! endCursor: String }

  type AdminIdentity { id: ID! name: String! role: AdminRole! }

  type Project {
    id: ID!
    name: String!
    type: ProjectType!
    environment: String!
    active: Boolean!
    logBodies: Boolean!
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
    bindings: [ProviderBinding!]!
    aliases: [Alias!]!
    endpoints: [Endpoint!]!
    tokens: [ApiToken!]!
    "Current policy versions that target this project or something in it."
    policies: [Policy!]!
  }

  "A provider key. The secret is write-only: only a masked hint is ever returned."
  type Credential {
    id: ID!
    name: String!
    provider: String!
    hint: String!
    baseUrl: String
    options: JSON!
    createdAt: String!
    updatedAt: String!
    "Bindings that use this credential (deleting it is refused while any exist)."
    usedBy: [ProviderBinding!]!
  }

  type ProviderBinding {
    id: ID!
    projectId: ID!
    project: Project
    provider: String!
    credentialId: ID!
    credential: Credential
    enabled: Boolean!
    baseUrl: String
    createdAt: String!
    updatedAt: String!
  }

  type Alias {
    id: ID!
    projectId: ID!
    name: String!
    "provider:model"
    target: String!
    fallbacks: [String!]!
    presets: JSON!
    createdAt: String!
    updatedAt: String!
  }

  type EndpointVersion { id: ID! version: Int! config: JSON! createdAt: String! }

  type Endpoint {
    id: ID!
    projectId: ID!
    slug: String!
    version: Int!
    active: Boolean!
    config: JSON!
    "Every version ever written, newest first."
    versions: [EndpointVersion!]!
    createdAt: String!
    updatedAt: String!
  }

  type Policy {
    id: ID!
    kind: PolicyKind!
    level: PolicyLevel!
    projectId: ID
    "Endpoint id, token id or alias name, by level."
    targetId: String
    version: Int!
    current: Boolean!
    config: JSON!
    createdAt: String!
    updatedAt: String!
  }

  type ApiToken {
    id: ID!
    projectId: ID!
    name: String!
    environment: TokenEnvironment!
    "Display prefix such as pc_live_AbC1…; the plaintext is shown once, at creation or rotation."
    prefix: String!
    scopes: [String!]!
    expiresAt: String
    endpointAllowlist: [String!]!
    subject: String
    active: Boolean!
    revokedAt: String
    lastUsedAt: String
    "While a rotation's grace period lasts, the previous secret is still accepted until then."
    previousExpiresAt: String
    metadata: JSON!
    "Per-token rate limits and budget caps: current TOKEN-level policies targeting this token."
    policies: [Policy!]!
    createdAt: String!
    updatedAt: String!
  }

  "Returned once: the plaintext is never retrievable again."
  type IssuedToken { token: ApiToken! plaintext: String! }

  type AdminKey { id: ID! name: String! role: AdminRole! prefix: String! active: Boolean! lastUsedAt: String createdAt: String! }
  type IssuedAdminKey { adminKey: AdminKey! plaintext: String! }

  type RequestLog {
    id: ID!
    at: String!
    projectId: ID
    tokenId: ID
    endpoint: String
    route: String!
    method: String!
    provider: String
    modelRequested: String
    modelResolved: String
    status: Int!
    stream: Boolean!
    latencyMs: Float!
    ttfbMs: Float
    upstreamLatencyMs: Float
    inputTokens: Int
    outputTokens: Int
    cachedInputTokens: Int
    reasoningTokens: Int
    "USD; null when the price is unknown."
    costUsd: Float
    errorCode: String
    attempts: Int
    versions: JSON
    metadata: JSON
    "Only for projects with logBodies on, and only for the ADMIN role (null for VIEWER)."
    requestBody: String
    responseBody: String
  }
  type RequestLogEdge { cursor: String! node: RequestLog! }
  type RequestLogConnection { edges: [RequestLogEdge!]! pageInfo: PageInfo! }

  type AuditActor { type: String! id: String name: String }
  type AuditTarget { type: String! id: String name: String }
  type AuditEvent {
    id: ID!
    seq: Int!
    at: String!
    event: String!
    severity: AuditSeverity!
    actor: AuditActor!
    projectId: ID
    target: AuditTarget
    metadata: JSON
    ip: String
    prevHash: String!
    hash: String!
  }
  type AuditEventEdge { cursor: String! node: AuditEvent! }
  type AuditEventConnection { edges: [AuditEventEdge!]! pageInfo: PageInfo! }

  type UsageRow { key: String requests: Int! inputTokens: Float! outputTokens: Float! costUsd: Float! unpricedRequests: Int! }

  type AuditVerifyResult {
    ok: Boolean!
    checked: Int!
    "Seq of the first event that does not link or hash correctly."
    brokenAtSeq: Int
    "seq_gap | prev_hash_mismatch | hash_mismatch"
    reason: String
  }

  input RequestLogFilter { projectId: ID tokenId: ID provider: String model: String status: Int errorCode: String from: String to: String }
  input AuditEventFilter { projectId: ID event: String eventPrefix: String severity: AuditSeverity from: String to: String }

  type Query {
    me: AdminIdentity!
    projects: [Project!]!
    project(id: ID!): Project
    credentials: [Credential!]!
    credential(id: ID!): Credential
    tokens(projectId: ID!): [ApiToken!]!
    token(id: ID!): ApiToken
    "Current versions unless includeHistory."
    policies(kind: PolicyKind, projectId: ID, includeHistory: Boolean = false): [Policy!]!
    adminKeys: [AdminKey!]!
    "Newest first."
    requestLogs(filter: RequestLogFilter, first: Int = ${DEFAULT_CONNECTION_FIRST}, after: String): RequestLogConnection!
    "Newest first."
    auditEvents(filter: AuditEventFilter, first: Int = ${DEFAULT_CONNECTION_FIRST}, after: String): AuditEventConnection!
    usageSummary(from: String!, to: String!, groupBy: UsageGroupBy!, projectId: ID): [UsageRow!]!
    "from inclusive, to exclusive; oldest first."
    auditExport(from: String, to: String, format: AuditExportFormat!): String!
    auditVerify: AuditVerifyResult!
  }

  input CreateProjectInput { name: String! type: ProjectType! environment: String = "production" logBodies: Boolean = false metadata: JSON }
  input UpdateProjectInput { name: String environment: String logBodies: Boolean metadata: JSON }

  input CreateCredentialInput { name: String! provider: String! secret: String! baseUrl: String options: JSON }
  "The secret is changed with rotateCredential."
  input UpdateCredentialInput { name: String baseUrl: String options: JSON }

  input ProviderBindingInput { projectId: ID! provider: String! credentialId: ID! enabled: Boolean = true baseUrl: String }

  input AliasInput { projectId: ID! name: String! target: String! fallbacks: [String!] presets: JSON }

  input CreateEndpointInput { projectId: ID! slug: String! config: JSON! active: Boolean = true }
  input UpdateEndpointInput { config: JSON active: Boolean }

  input PolicyKeyInput { kind: PolicyKind! level: PolicyLevel! projectId: ID targetId: String }
  input SetPolicyInput { kind: PolicyKind! level: PolicyLevel! projectId: ID targetId: String config: JSON! }

  input CreateTokenInput {
    projectId: ID!
    name: String!
    environment: TokenEnvironment = LIVE
    scopes: [String!] = ["chat", "models"]
    expiresAt: String
    endpointAllowlist: [String!]
    subject: String
    metadata: JSON
    "Optional per-token RATE_LIMIT policy config, written as a TOKEN-level policy."
    rateLimit: JSON
    "Optional per-token BUDGET policy config, written as a TOKEN-level policy."
    budget: JSON
  }
  input UpdateTokenInput { name: String scopes: [String!] expiresAt: String endpointAllowlist: [String!] subject: String metadata: JSON }

  input CreateAdminKeyInput { name: String! role: AdminRole! }

  type Mutation {
    createProject(input: CreateProjectInput!): Project!
    updateProject(id: ID!, input: UpdateProjectInput!): Project!
    activateProject(id: ID!): Project!
    "Its tokens are refused with 403 project inactive."
    deactivateProject(id: ID!): Project!
    "Also deletes the project's bindings, aliases, endpoints, tokens and policies."
    deleteProject(id: ID!): Boolean!

    createCredential(input: CreateCredentialInput!): Credential!
    updateCredential(id: ID!, input: UpdateCredentialInput!): Credential!
    rotateCredential(id: ID!, secret: String!): Credential!
    "Refused with CREDENTIAL_IN_USE while bindings use it."
    deleteCredential(id: ID!): Boolean!

    upsertProviderBinding(input: ProviderBindingInput!): ProviderBinding!
    enableProvider(projectId: ID!, provider: String!): ProviderBinding!
    disableProvider(projectId: ID!, provider: String!): ProviderBinding!
    deleteProviderBinding(projectId: ID!, provider: String!): Boolean!

    upsertAlias(input: AliasInput!): Alias!
    deleteAlias(projectId: ID!, name: String!): Boolean!

    createEndpoint(input: CreateEndpointInput!): Endpoint!
    "Writes a new EndpointVersion."
    updateEndpoint(id: ID!, input: UpdateEndpointInput!): Endpoint!
    deleteEndpoint(id: ID!): Boolean!

    "Writes a new version and makes it the only current one."
    setPolicy(input: SetPolicyInput!): Policy!
    "Marks the policy not current (versions stay for audit)."
    deletePolicy(input: PolicyKeyInput!): Boolean!

    createToken(input: CreateTokenInput!): IssuedToken!
    updateToken(id: ID!, input: UpdateTokenInput!): ApiToken!
    "New secret; the old one keeps working for graceSeconds (0 = stop now)."
    rotateToken(id: ID!, graceSeconds: Int = 3600): IssuedToken!
    deactivateToken(id: ID!): ApiToken!
    activateToken(id: ID!): ApiToken!
    "Permanent."
    revokeToken(id: ID!): ApiToken!

    createAdminKey(input: CreateAdminKeyInput!): IssuedAdminKey!
    revokeAdminKey(id: ID!): AdminKey!
  }
`;
