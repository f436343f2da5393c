import type { BudgetLedger } from '../ledger';

/** One behaviour for both ledgers; each test file runs it against its implementation. */
export function describeLedgerContract(name: string, make: () => BudgetLedger, uniqueKey: () => string): void {
  describe(`${name} ledger contract`, () => {
    const marks = [
      { label: '0.5', atMicro: 500 },
      { label: '1', atMicro: 1000 },
    ];

    it('reserves while spent + reserved + estimate fits the cap', async () => {
      const ledger = make();
      const key = uniqueKey();
      await expect(ledger.reserve(key, 400, 1000, 60)).resolves.toEqual({ admitted: true, spent: 0, reserved: 400 });
      await expect(ledger.reserve(key, 600, 1000, 60)).resolves.toEqual({ admitted: true, spent: 0, reserved: 1000 });
      await expect(ledger.reserve(key, 1, 1000, 60)).resolves.toEqual({ admitted: false, spent: 0, reserved: 1000 });
    });

    it('releases reservations and records spend on commit', async () => {
      const ledger = make();
      const key = uniqueKey();
      await ledger.reserve(key, 700, 1000, 60);
      await expect(ledger.commit(key, 700, 300, 60, [])).resolves.toEqual({ spent: 300, crossed: [] });
      await expect(ledger.reserve(key, 700, 1000, 60)).resolves.toEqual({ admitted: true, spent: 300, reserved: 700 });
    });

    it('refuses everything, even a zero estimate, once spent reaches the cap', async () => {
      const ledger = make();
      const key = uniqueKey();
      await ledger.commit(key, 0, 1000, 60, []);
      await expect(ledger.reserve(key, 0, 1000, 60)).resolves.toMatchObject({ admitted: false, spent: 1000 });
    });

    it('never lets reserved go negative on a double release', async () => {
      const ledger = make();
      const key = uniqueKey();
      await ledger.reserve(key, 100, 1000, 60);
      await ledger.commit(key, 100, 0, 60, []);
      await ledger.commit(key, 100, 0, 60, []);
      await expect(ledger.reserve(key, 1000, 1000, 60)).resolves.toMatchObject({ admitted: true, reserved: 1000 });
    });

    it('reports each threshold exactly once per key', async () => {
      const ledger = make();
      const key = uniqueKey();
      await expect(ledger.commit(key, 0, 400, 60, marks)).resolves.toEqual({ spent: 400, crossed: [] });
      await expect(ledger.commit(key, 0, 200, 60, marks)).resolves.toEqual({ spent: 600, crossed: ['0.5'] });
      await expect(ledger.commit(key, 0, 100, 60, marks)).resolves.toEqual({ spent: 700, crossed: [] });
      await expect(ledger.commit(key, 0, 500, 60, marks)).resolves.toEqual({ spent: 1200, crossed: ['1'] });
      await expect(ledger.commit(key, 0, 500, 60, marks)).resolves.toEqual({ spent: 1700, crossed: [] });
      // A jump over several thresholds reports all of them at once, on a fresh key.
      const other = uniqueKey();
      await expect(ledger.commit(other, 0, 5000, 60, marks)).resolves.toEqual({ spent: 5000, crossed: ['0.5', '1'] });
    });

    it('keeps keys independent (a new window or version starts at zero)', async () => {
      const ledger = make();
      const a = uniqueKey();
      const b = uniqueKey();
      await ledger.commit(a, 0, 900, 60, []);
      await expect(ledger.reserve(b, 900, 1000, 60)).resolves.toEqual({ admitted: true, spent: 0, reserved: 900 });
    });
  });
}
