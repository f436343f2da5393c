import { JsonScalar } from '../schema/json-scalar';
import { adminKeyResolvers } from './admin-keys';
import { aliasResolvers } from './aliases';
import { bindingResolvers } from './bindings';
import { credentialResolvers } from './credentials';
import { endpointResolvers } from './endpoints';
import { enumResolvers } from './enums';
import { observabilityResolvers } from './observability';
import { policyResolvers } from './policies';
import { projectResolvers } from './projects';
import { tokenResolvers } from './tokens';

export const resolvers = {
  JSON: JsonScalar,
  ...enumResolvers,
  Query: {
    ...adminKeyResolvers.Query,
    ...projectResolvers.Query,
    ...credentialResolvers.Query,
    ...tokenResolvers.Query,
    ...policyResolvers.Query,
    ...observabilityResolvers.Query,
  },
  Mutation: {
    ...projectResolvers.Mutation,
    ...credentialResolvers.Mutation,
    ...bindingResolvers.Mutation,
    ...aliasResolvers.Mutation,
    ...endpointResolvers.Mutation,
    ...policyResolvers.Mutation,
    ...tokenResolvers.Mutation,
    ...adminKeyResolvers.Mutation,
  },
  Project: projectResolvers.Project,
  Credential: credentialResolvers.Credential,
  ProviderBinding: bindingResolvers.ProviderBinding,
  Endpoint: endpointResolvers.Endpoint,
  ApiToken: tokenResolvers.ApiToken,
  RequestLog: observabilityResolvers.RequestLog,
};
