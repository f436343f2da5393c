import { randomUUID } from 'node:crypto';
import { describeLedgerContract } from './__fixtures__/ledger-contract';
import { MemoryBudgetLedger } from './memory-ledger';

describeLedgerContract('memory', () => new MemoryBudgetLedger(), () => `pol_${randomUUID()}:v1:2026-11`);

describe('MemoryBudgetLedger housekeeping', () => {
  it('drops a finished window of a policy once a newer one appears and nothing is reserved in it', async () => {
    const ledger = new MemoryBudgetLedger();
    await ledger.commit('pol_a:v1:2026-10', 0, 100, 0, []);
    await ledger.reserve('pol_b:v1:2026-10', 50, 1000, 0);
    await ledger.reserve('pol_a:v1:2026-11', 10, 1000, 0);
    expect(ledger.peek('pol_a:v1:2026-10')).toBeNull();
    expect(ledger.peek('pol_b:v1:2026-10')).toEqual({ spent: 0, reserved: 50 }); // other policy untouched
    expect(ledger.peek('pol_a:v1:2026-11')).toEqual({ spent: 0, reserved: 10 });
  });
});
