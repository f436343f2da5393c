import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { recordAudit } from './change-log';
import type { AdminContext } from './context';
import { adminError } from './errors';
import { operationCost, operationDepth } from './limits';

/**
 * Runs once the operation is known (after parsing and validation, before execution): depth and
 * cost limits, then the role check. VIEWER keys may run queries only; a mutation is refused as
 * FORBIDDEN (HTTP 403) and audited as `auth.forbidden`.
 */
export function operationGuard(): ApolloServerPlugin<AdminContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue: ctx }) {
          // Apollo has already refused documents without a resolvable operation.
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const depth = operationDepth(operation, fragments);
          if (depth > ctx.config.maxDepth) {
            throw adminError('QUERY_TOO_DEEP', `query depth ${depth} exceeds the limit of ${ctx.config.maxDepth}`, { depth, maxDepth: ctx.config.maxDepth });
          }
          const cost = operationCost(operation, fragments, request.variables);
          if (cost > ctx.config.maxCost) {
            throw adminError('QUERY_TOO_COSTLY', `query cost ${cost} exceeds the limit of ${ctx.config.maxCost}; ask for fewer fields or smaller pages`, {
              cost,
              maxCost: ctx.config.maxCost,
            });
          }
          if (operation.operation === 'mutation' && ctx.actor.role !== 'admin') {
            const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
            recordAudit(ctx, { event: 'auth.forbidden', severity: 'warning', target: { type: 'admin_api' }, metadata: { role: ctx.actor.role, operation: fields.join(',').slice(0, 200) } });
            throw adminError('FORBIDDEN', 'this admin key has the VIEWER role: mutations need an ADMIN key');
          }
        },
      };
    },
  };
}
