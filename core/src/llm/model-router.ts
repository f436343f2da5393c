import type { ProviderAdapter, Target } from '../spec/adapter';
import type { ConfigSnapshot, SecretBox, TargetRef } from '../spec/plugin';
import type { AliasRecord, CredentialRecord } from '../spec/store';
import { GatewayError } from '../errors/gateway-error';
import { CredentialExchangeCache, lazyIdentityHttpClient } from './credential-exchange';

export interface ResolvedRoute {
  requestedModel: string;
  alias: AliasRecord | null;
  /** Primary first, then fallbacks (disabled fallbacks are skipped, not fatal). */
  targets: Target[];
}

/** Parses `provider:model` or `provider/model` when the prefix names a known provider. */
function splitProviderModel(ref: string, isProvider: (id: string) => boolean): { provider: string; model: string } | null {
  for (const sep of [':', '/']) {
    const at = ref.indexOf(sep);
    if (at > 0 && at < ref.length - 1) {
      const provider = ref.slice(0, at);
      if (isProvider(provider)) return { provider, model: ref.slice(at + 1) };
    }
  }
  return null;
}

/** Decrypted credentials, cached per credential version so the hot path never re-decrypts. */
export class CredentialCache {
  private readonly cache = new Map<string, { updatedAt: string; secret: string }>();
  constructor(private readonly secrets: SecretBox) {}

  secretOf(record: CredentialRecord): string {
    const hit = this.cache.get(record.id);
    if (hit && hit.updatedAt === record.updatedAt) return hit.secret;
    const secret = this.secrets.decrypt(record.secretEnc);
    this.cache.set(record.id, { updatedAt: record.updatedAt, secret });
    return secret;
  }
}

export class ModelRouter {
  constructor(
    private readonly adapters: ReadonlyMap<string, ProviderAdapter>,
    private readonly credentials: CredentialCache,
    /** Tokens for credentials that need an exchange first (Entra ID); one cache per router, so per gateway. */
    private readonly exchanges: CredentialExchangeCache = new CredentialExchangeCache({ http: lazyIdentityHttpClient() }),
  ) {}

  isProvider = (id: string): boolean => this.adapters.has(id);

  resolve(snapshot: ConfigSnapshot, projectId: string, model: unknown): ResolvedRoute {
    if (typeof model !== 'string' || model.trim() === '') throw new GatewayError('GW_ERR_MODEL_MISSING', { param: 'model' });
    const aliases = snapshot.aliases.get(projectId);
    let aliasName: string | null = null;
    for (const prefix of ['portcullis:', 'alias:']) if (model.startsWith(prefix)) aliasName = model.slice(prefix.length);

    if (aliasName === null) {
      const direct = splitProviderModel(model, this.isProvider);
      if (direct) return { requestedModel: model, alias: null, targets: [this.target(snapshot, projectId, direct, true)!] };
      aliasName = model;
    }
    const alias = aliases?.get(aliasName);
    if (!alias) {
      const looksQualified = /^[A-Za-z0-9_-]+[:/]/.test(model) && !model.startsWith('portcullis:') && !model.startsWith('alias:');
      if (looksQualified) {
        const provider = model.split(/[:/]/)[0]!;
        throw new GatewayError('GW_ERR_PROVIDER_UNKNOWN', {
          param: 'model',
          message: `Unknown provider "${provider}". Use an alias or provider:model with one of: ${[...this.adapters.keys()].sort().join(', ')}.`,
        });
      }
      throw new GatewayError('GW_ERR_MODEL_NOT_FOUND', {
        param: 'model',
        message: `The model \`${model}\` does not exist in this project. Use an alias or provider:model.`,
      });
    }
    const refs = [alias.target, ...alias.fallbacks];
    const targets: Target[] = [];
    refs.forEach((ref, i) => {
      const parsed = splitProviderModel(ref, this.isProvider);
      if (!parsed) {
        if (i === 0) throw new GatewayError('GW_ERR_PROVIDER_UNKNOWN', { param: 'model', message: `Alias "${alias.name}" points at an unknown provider.` });
        return;
      }
      const t = this.target(snapshot, projectId, parsed, i === 0);
      if (t) targets.push(t);
    });
    return { requestedModel: model, alias, targets };
  }

  /**
   * Targets named explicitly (slug endpoints). A named credential may be any credential in the
   * store; without one the project's enabled binding for the provider is used.
   */
  resolveRefs(snapshot: ConfigSnapshot, projectId: string, requestedModel: string, refs: TargetRef[]): ResolvedRoute {
    const targets: Target[] = [];
    refs.forEach((ref, i) => {
      if (!this.isProvider(ref.provider))
        throw new GatewayError('GW_ERR_PROVIDER_UNKNOWN', { message: `Unknown provider "${ref.provider}" in the endpoint's targets.` });
      if (!ref.credential) {
        const t = this.target(snapshot, projectId, ref, i === 0);
        if (t) targets.push(t);
        return;
      }
      const credential =
        snapshot.credentials.get(ref.credential) ?? [...snapshot.credentials.values()].find((c) => c.name === ref.credential);
      if (!credential || credential.provider !== ref.provider) {
        if (i === 0)
          throw new GatewayError('GW_ERR_PROVIDER_DISABLED', { message: `The endpoint's credential for "${ref.provider}" does not exist.` });
        return;
      }
      targets.push(this.toTarget(ref, credential.baseUrl ?? undefined, credential));
    });
    return { requestedModel, alias: null, targets };
  }

  /** Null for a fallback that is disabled; a clear error for the primary. */
  private target(snapshot: ConfigSnapshot, projectId: string, ref: { provider: string; model: string }, primary: boolean): Target | null {
    const binding = snapshot.bindings.get(projectId)?.get(ref.provider);
    if (!binding || !binding.enabled) {
      if (!primary) return null;
      throw new GatewayError('GW_ERR_PROVIDER_DISABLED', {
        param: 'model',
        message: `The provider "${ref.provider}" is not enabled for this project.`,
      });
    }
    const credential = snapshot.credentials.get(binding.credentialId);
    if (!credential) {
      if (!primary) return null;
      throw new GatewayError('GW_ERR_PROVIDER_DISABLED', { param: 'model', message: `The provider "${ref.provider}" has no credential.` });
    }
    return this.toTarget(ref, binding.baseUrl ?? credential.baseUrl ?? undefined, credential);
  }

  private toTarget(ref: { provider: string; model: string }, baseUrl: string | undefined, record: CredentialRecord): Target {
    const credential = { id: record.id, name: record.name, secret: this.credentials.secretOf(record), options: record.options };
    const target: Target = { provider: ref.provider, model: ref.model, ...(baseUrl ? { baseUrl } : {}), credential };
    // Only credentials that need a token exchange get a token source; the rest stay plain data.
    const exchange = this.adapters.get(ref.provider)?.credentialExchange;
    if (exchange?.appliesTo(credential)) target.tokenSource = this.exchanges.sourceFor(exchange, credential, ref.provider);
    return target;
  }
}
