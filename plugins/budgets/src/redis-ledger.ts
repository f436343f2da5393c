import type { RedisClient } from '@portcullis/core';
import type { BudgetLedger, CommitResult, ReserveResult, ThresholdMark } from './ledger';

/**
 * The ledger in Redis: one hash per (policy, version, window) with fields `spent`, `reserved`
 * (integer micro-dollars) and `threshold:<label>` flags. Each operation is one Lua script, so
 * the check-and-reserve is atomic across every gateway instance.
 */
const RESERVE_LUA = `
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local estimate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
if spent >= cap or spent + reserved + estimate > cap then
  return {0, spent, reserved}
end
reserved = redis.call('HINCRBY', KEYS[1], 'reserved', estimate)
local ttl = tonumber(ARGV[3])
if ttl > 0 and redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return {1, spent, reserved}
`;

const COMMIT_LUA = `
-- Skip a zero release: Lua would format -0 as "-0", which HINCRBY refuses.
if tonumber(ARGV[1]) > 0 then
  local reserved = redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(ARGV[1]))
  if reserved < 0 then redis.call('HSET', KEYS[1], 'reserved', 0) end
end
local spent = redis.call('HINCRBY', KEYS[1], 'spent', tonumber(ARGV[2]))
local ttl = tonumber(ARGV[3])
if ttl > 0 and redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ttl) end
local crossed = {}
for i = 4, #ARGV, 2 do
  if spent >= tonumber(ARGV[i + 1]) and redis.call('HSETNX', KEYS[1], 'threshold:' .. ARGV[i], 1) == 1 then
    table.insert(crossed, ARGV[i])
  end
end
return {spent, crossed}
`;

const toInt = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export class RedisBudgetLedger implements BudgetLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  isReady(): boolean {
    return this.redis.status === 'ready';
  }

  async reserve(key: string, estimateMicro: number, capMicro: number, ttlSeconds: number): Promise<ReserveResult> {
    const raw = await this.redis.eval(RESERVE_LUA, 1, this.fullKey(key), estimateMicro, capMicro, ttlSeconds);
    const [admitted, spent, reserved] = Array.isArray(raw) ? raw : [];
    return { admitted: toInt(admitted) === 1, spent: toInt(spent), reserved: toInt(reserved) };
  }

  async commit(key: string, releaseMicro: number, actualMicro: number, ttlSeconds: number, thresholds: readonly ThresholdMark[]): Promise<CommitResult> {
    const args = thresholds.flatMap((t) => [t.label, t.atMicro]);
    const raw = await this.redis.eval(COMMIT_LUA, 1, this.fullKey(key), releaseMicro, actualMicro, ttlSeconds, ...args);
    const [spent, crossed] = Array.isArray(raw) ? raw : [];
    return { spent: toInt(spent), crossed: Array.isArray(crossed) ? crossed.map(String) : [] };
  }

  /** For tests and diagnostics. */
  async peek(key: string): Promise<{ spent: number; reserved: number } | null> {
    const h = await this.redis.hgetall(this.fullKey(key));
    if (Object.keys(h).length === 0) return null;
    return { spent: Number(h.spent ?? 0), reserved: Number(h.reserved ?? 0) };
  }

  private fullKey(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }
}
