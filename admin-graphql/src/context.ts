import type { AdminKeyRecord, PluginHost } from '@portcullis/core';
import type { AdminGraphqlConfig } from './config';

/** The authenticated caller of one GraphQL request. */
export interface AdminActor {
  id: string;
  name: string;
  role: AdminKeyRecord['role'];
}

export interface AdminContext {
  host: PluginHost;
  config: AdminGraphqlConfig;
  actor: AdminActor;
  ip: string | null;
}
