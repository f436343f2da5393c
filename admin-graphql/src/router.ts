import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled, ApolloServerPluginSchemaReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { PluginHost } from '@portcullis/core';
import { authenticateAdmin } from './auth';
import { ensureBootstrapKeys } from './bootstrap';
import { adminGraphqlConfigSchema, resolveIntrospection, type AdminGraphqlConfig, type AdminGraphqlConfigInput } from './config';
import type { AdminContext } from './context';
import { createErrorFormatter } from './errors';
import { operationGuard } from './operation-guard';
import { resolvers } from './resolvers';
import { typeDefs } from './schema/type-defs';

export interface AdminRouter {
  /** Mount it anywhere: `app.use('/admin/graphql', admin.router)`. */
  router: Router;
  /** Stops Apollo (drains in-flight operations). */
  stop(): Promise<void>;
}

/**
 * Builds the admin API as a self-contained Express router: JSON body limit, Apollo Server 5,
 * admin-key auth in the context function (so nothing, not even validation errors, reaches an
 * unauthenticated caller), depth/cost limits and the role check in an Apollo plugin.
 */
export async function createAdminRouter(host: PluginHost, configInput: AdminGraphqlConfigInput | AdminGraphqlConfig = {}): Promise<AdminRouter> {
  const config = adminGraphqlConfigSchema.parse(configInput);
  await ensureBootstrapKeys(host, config.bootstrapKeys);

  const apollo = new ApolloServer<AdminContext>({
    typeDefs,
    resolvers,
    introspection: resolveIntrospection(config, host.environment),
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(host.logger),
    // Per-request auth makes cached documents harmless, but APQ would let unauthenticated
    // callers fill the cache; batching would multiply the cost limit.
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    nodeEnv: host.environment,
    logger: apolloLogger(host),
    plugins: [
      operationGuard(),
      // No CDN-loaded sandbox page and nothing reported to Apollo's cloud from a gateway.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
  });
  await apollo.start();

  const router = express.Router();
  router.use(express.json({ limit: config.maxBodyBytes }));
  router.use(
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<AdminContext> => {
        const ip = req.ip ?? req.socket.remoteAddress ?? null;
        const actor = await authenticateAdmin(host, req.headers.authorization, ip);
        return { host, config, actor, ip };
      },
    }),
  );
  router.use(bodyErrorHandler(config.maxBodyBytes, host));

  return { router, stop: () => apollo.stop() };
}

/** Body-parser failures, answered in GraphQL's error shape instead of Express's HTML page. */
function bodyErrorHandler(maxBodyBytes: number, host: PluginHost): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const type = typeof err === 'object' && err !== null && 'type' in err ? (err as { type: unknown }).type : undefined;
    if (type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: `request body exceeds ${maxBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', maxBodyBytes } }] });
    } else if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    } else {
      host.logger.error({ err: String(err) }, 'admin-graphql: unexpected error outside GraphQL');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
}

function apolloLogger(host: PluginHost) {
  const logger = host.logger.child({ component: 'admin-graphql' });
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) => logger.error(message),
  };
}
