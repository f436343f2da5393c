import { z } from 'zod';

/**
 * portcullis.yaml. Every section is optional except what a running gateway cannot do without;
 * unknown keys are errors (a typo must not silently disable a policy).
 */
const credential = z
  .object({
    name: z.string().min(1),
    provider: z.string().min(1),
    secret: z.string(),
    baseUrl: z.string().url().optional(),
    options: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const binding = z
  .object({ provider: z.string().min(1), credential: z.string().min(1), enabled: z.boolean().default(true), baseUrl: z.string().url().optional() })
  .strict();

const alias = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'alias names use letters, digits, ".", "_" and "-"'),
    target: z.string().regex(/^[A-Za-z0-9_-]+[:/].+$/, 'target must be provider:model'),
    fallbacks: z.array(z.string().regex(/^[A-Za-z0-9_-]+[:/].+$/)).default([]),
    presets: z
      .object({ system: z.string().optional(), temperature: z.number().min(0).max(2).optional(), top_p: z.number().min(0).max(1).optional(), max_tokens: z.number().int().positive().optional() })
      .strict()
      .default({}),
  })
  .strict();

const token = z
  .object({
    name: z.string().min(1),
    environment: z.enum(['live', 'test']).default('live'),
    scopes: z.array(z.string().min(1)).min(1),
    /** Pins the plaintext (automation). Absent: a token is generated once and printed. */
    value: z.string().regex(/^pc_(live|test)_[0-9A-Za-z]{20,}$/, 'token values look like pc_live_<at least 20 letters/digits>').optional(),
    expiresAt: z.string().datetime().optional(),
    endpointAllowlist: z.array(z.string()).default([]),
    subject: z.string().optional(),
    metadata: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const policy = z
  .object({
    kind: z.enum(['rate_limit', 'budget', 'guardrail']),
    level: z.enum(['project', 'token', 'alias', 'endpoint']).default('project'),
    /** Token name, alias name or endpoint slug for those levels. */
    target: z.string().optional(),
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

const endpoint = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), config: z.record(z.string(), z.unknown()) }).strict();

const project = z
  .object({
    id: z.string().uuid().optional(),
    name: z.string().min(1),
    type: z.enum(['ai_wrapper', 'ai_gateway', 'api_proxy']),
    environment: z.string().default('dev'),
    active: z.boolean().default(true),
    logBodies: z.boolean().default(false),
    providers: z.array(binding).default([]),
    aliases: z.array(alias).default([]),
    tokens: z.array(token).default([]),
    endpoints: z.array(endpoint).default([]),
    policies: z.array(policy).default([]),
  })
  .strict();

const pluginRef = z.union([z.string().min(1), z.object({ package: z.string().min(1), config: z.unknown().optional() }).strict()]);

export const portcullisConfigSchema = z
  .object({
    environment: z.enum(['production', 'development', 'test']).optional(),
    server: z
      .object({
        port: z.number().int().min(0).max(65535).default(8080),
        host: z.string().default('127.0.0.1'),
        /** Where the gateway is mounted ('' = root). */
        basePath: z.string().default(''),
        /** Processes for standalone serving; 0 = one per core. */
        workers: z.number().int().min(0).default(1),
        bodyLimitBytes: z.number().int().positive().optional(),
        shutdownTimeoutMs: z.number().int().positive().default(30_000),
        /**
         * How far V8 lets the heap grow past its live data before a full collection, in percent.
         * Unset: V8's adaptive choice, which favours throughput (the bench's peak at 128 busy
         * connections: ~250 MB). 20: ~175 MB for roughly 10-15% more CPU. See bench/README.
         */
        heapGrowingPercent: z.number().int().min(5).max(400).optional(),
      })
      .strict()
      .default({ port: 8080, host: '127.0.0.1', basePath: '', workers: 1, shutdownTimeoutMs: 30_000 }),
    /** How the gateway talks to providers (defaults suit LLM traffic: long thinking, long streams). */
    upstream: z
      .object({
        connectTimeoutMs: z.number().int().positive().optional(),
        /** Wait for response headers; reasoning models can think for minutes. */
        headersTimeoutMs: z.number().int().positive().optional(),
        /** Longest silence between body chunks. */
        bodyTimeoutMs: z.number().int().positive().optional(),
        /** Cap on sockets (so on concurrent streams) per provider origin; unset = no cap. */
        connectionsPerOrigin: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    store: z
      .discriminatedUnion('driver', [
        z.object({ driver: z.literal('embedded'), path: z.string().default('./data/portcullis.db') }).strict(),
        z.object({ driver: z.literal('mongo'), uri: z.string().min(1) }).strict(),
      ])
      .default({ driver: 'embedded', path: './data/portcullis.db' }),
    redis: z.object({ url: z.string().min(1) }).strict().optional(),
    plugins: z.array(pluginRef).default([]),
    adapters: z.array(z.string().min(1)).default([]),
    prices: z.record(z.string(), z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0), cachedInputPerMTok: z.number().min(0).optional() }).strict()).default({}),
    credentials: z.array(credential).default([]),
    projects: z.array(project).default([]),
    /** Development helpers: in-process mock providers so the demo answers offline. */
    dev: z
      .object({ mockUpstreams: z.partialRecord(z.enum(['openai', 'anthropic', 'gemini', 'bedrock']), z.number().int().min(0).max(65535)).default({}) })
      .strict()
      .optional(),
  })
  .strict();

export type PortcullisConfig = z.infer<typeof portcullisConfigSchema>;
export type ProjectConfig = z.infer<typeof project>;
