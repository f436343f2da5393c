import { createHash } from 'node:crypto';
import type { AuditEventRecord } from '../spec/store';
import { AUDIT_GENESIS_HASH, canonicalJson, computeAuditHash, verifyAuditChain } from './audit-hash';
import { buildAuditEvent } from './audit-input';

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, e: null })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"e":null}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
    expect(canonicalJson('s')).toBe('"s"');
  });
});

describe('computeAuditHash', () => {
  const event = buildAuditEvent(
    { event: 'token.created', severity: 'info', actor: { type: 'cli', name: 'ops' }, metadata: { n: 1 } },
    'id-1',
    1,
    AUDIT_GENESIS_HASH,
    '2025-01-01T00:00:00.000Z',
  );

  it('is sha256hex(prevHash + canonical JSON of the event without id and hash)', () => {
    const { id: _id, hash: _hash, ...rest } = event;
    const expected = createHash('sha256').update(AUDIT_GENESIS_HASH + canonicalJson(rest)).digest('hex');
    expect(event.hash).toBe(expected);
    expect(computeAuditHash(event)).toBe(expected);
  });

  it('ignores id and key order but not content', () => {
    expect(computeAuditHash({ ...event, id: 'other' })).toBe(event.hash);
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEventRecord;
    expect(computeAuditHash(reordered)).toBe(event.hash);
    expect(computeAuditHash({ ...event, severity: 'critical' })).not.toBe(event.hash);
    expect(computeAuditHash({ ...event, prevHash: 'f'.repeat(64) })).not.toBe(event.hash);
  });

  it('drops undefined input members so stored and hashed content agree', () => {
    const withUndefined = buildAuditEvent(
      { event: 'x', severity: 'info', actor: { type: 'system' }, projectId: undefined },
      'id',
      1,
      AUDIT_GENESIS_HASH,
      '2025-01-01T00:00:00.000Z',
    );
    expect('projectId' in withUndefined).toBe(false);
    expect(computeAuditHash(JSON.parse(JSON.stringify(withUndefined)) as AuditEventRecord)).toBe(withUndefined.hash);
  });
});

describe('verifyAuditChain', () => {
  const chain: AuditEventRecord[] = [];
  for (let seq = 1; seq <= 3; seq += 1) {
    chain.push(
      buildAuditEvent(
        { event: `e.${seq}`, severity: 'info', actor: { type: 'system' } },
        `id-${seq}`,
        seq,
        chain[seq - 2]?.hash ?? AUDIT_GENESIS_HASH,
        '2025-01-01T00:00:00.000Z',
      ),
    );
  }

  it('accepts a valid chain, and a tail given its predecessor', () => {
    expect(verifyAuditChain(chain)).toBeNull();
    expect(verifyAuditChain(chain.slice(1), chain[0]!)).toBeNull();
    expect(verifyAuditChain([])).toBeNull();
  });

  it('reports gaps, broken links and altered content', () => {
    expect(verifyAuditChain([chain[0]!, chain[2]!])).toEqual({ seq: 3, problem: 'seq_gap', expectedSeq: 2 });
    expect(verifyAuditChain(chain.slice(1))).toMatchObject({ seq: 2, problem: 'seq_gap' });
    expect(verifyAuditChain([chain[0]!, { ...chain[1]!, prevHash: 'a'.repeat(64) }])).toMatchObject({ seq: 2, problem: 'prev_hash_mismatch' });
    expect(verifyAuditChain([chain[0]!, { ...chain[1]!, event: 'forged' }])).toMatchObject({ seq: 2, problem: 'hash_mismatch' });
    expect(verifyAuditChain([{ ...chain[0]!, prevHash: 'b'.repeat(64) }])).toMatchObject({ seq: 1, problem: 'prev_hash_mismatch' });
  });
});
