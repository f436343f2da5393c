import { z } from 'zod';
import { AuditExportTooLargeError, exportAudit, verifyAuditStore, type RequestLogRecord } from '@portcullis/core';
import { toConnection } from '../connection';
import { DEFAULT_CONNECTION_FIRST } from '../limits';
import type { AdminContext } from '../context';
import { badInput } from '../errors';
import { idSchema, isoTimeSchema, parseInput } from '../validation';
import type { Args } from './types';

const pagingSchema = z.object({ first: z.number().int().nullish(), after: z.string().max(2000).nullish() });

const requestLogFilterSchema = z
  .object({
    projectId: idSchema.nullish(),
    tokenId: idSchema.nullish(),
    provider: z.string().max(64).nullish(),
    model: z.string().max(200).nullish(),
    status: z.number().int().min(100).max(599).nullish(),
    errorCode: z.string().max(100).nullish(),
    from: isoTimeSchema.nullish(),
    to: isoTimeSchema.nullish(),
  })
  .nullish();

const auditFilterSchema = z
  .object({
    projectId: idSchema.nullish(),
    event: z.string().max(100).nullish(),
    eventPrefix: z.string().max(100).nullish(),
    severity: z.enum(['info', 'warning', 'critical']).nullish(),
    from: isoTimeSchema.nullish(),
    to: isoTimeSchema.nullish(),
  })
  .nullish();

const usageSchema = z.object({
  from: isoTimeSchema,
  to: isoTimeSchema,
  groupBy: z.enum(['project', 'provider', 'model', 'token']),
  projectId: idSchema.nullish(),
});

const exportSchema = z.object({ from: isoTimeSchema.nullish(), to: isoTimeSchema.nullish(), format: z.enum(['ndjson', 'csv']) });

/** GraphQL nulls -> absent members, which is what the store's query types expect. */
function defined<T extends Record<string, unknown>>(value: T | null | undefined): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
}

function checkRange(from: string | null | undefined, to: string | null | undefined): void {
  if (from && to && Date.parse(from) > Date.parse(to)) throw badInput('to', 'must not be before from');
}

export const observabilityResolvers = {
  Query: {
    requestLogs: async (_: unknown, args: Args, ctx: AdminContext) => {
      const filter = defined(parseInput(requestLogFilterSchema, args.filter, 'filter'));
      checkRange(filter.from, filter.to);
      const paging = parseInput(pagingSchema, args);
      return toConnection((cursor, limit) => ctx.host.store.requestLogs.query({ ...filter, cursor, limit }), paging.first ?? DEFAULT_CONNECTION_FIRST, paging.after, ctx.config.maxPageSize);
    },
    auditEvents: async (_: unknown, args: Args, ctx: AdminContext) => {
      const filter = defined(parseInput(auditFilterSchema, args.filter, 'filter'));
      checkRange(filter.from, filter.to);
      const paging = parseInput(pagingSchema, args);
      return toConnection((cursor, limit) => ctx.host.store.audit.query({ ...filter, cursor, limit }), paging.first ?? DEFAULT_CONNECTION_FIRST, paging.after, ctx.config.maxPageSize);
    },
    usageSummary: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(usageSchema, args);
      checkRange(input.from, input.to);
      return ctx.host.store.requestLogs.summarize({ from: input.from, to: input.to, groupBy: input.groupBy, ...(input.projectId ? { projectId: input.projectId } : {}) });
    },
    auditExport: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(exportSchema, args);
      checkRange(input.from, input.to);
      try {
        return await exportAudit(ctx.host.store.audit, { ...defined({ from: input.from, to: input.to }), format: input.format, maxEvents: ctx.config.maxExportEvents });
      } catch (err) {
        if (err instanceof AuditExportTooLargeError) throw badInput('from', `${err.message} (\`portcullis audit export\` streams any size)`);
        throw err;
      }
    },
    auditVerify: (_: unknown, __: Args, ctx: AdminContext) => verifyAuditStore(ctx.host.store.audit),
  },
  RequestLog: {
    // Bodies can hold prompts and personal data: only full admins read them.
    requestBody: (log: RequestLogRecord, _: Args, ctx: AdminContext) => (ctx.actor.role === 'admin' ? (log.requestBody ?? null) : null),
    responseBody: (log: RequestLogRecord, _: Args, ctx: AdminContext) => (ctx.actor.role === 'admin' ? (log.responseBody ?? null) : null),
  },
};
