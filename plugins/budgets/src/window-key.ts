import type { BudgetWindow } from './policy-config';

/**
 * Names the budget window an instant falls in, in the policy's time zone: `2026-11` (monthly),
 * `2026-11-03` (daily) or `total`. Spend is keyed by it, so a window "resets" simply because
 * the key changes at local midnight / the 1st; nothing has to run at that moment.
 */
export class WindowClock {
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();
  /**
   * The last key per (window, zone) and the UTC minute it was computed for. Formatting a date in
   * a time zone costs microseconds and every budgeted request asks; a local day or month can only
   * change on a minute boundary (zone offsets are whole minutes), so one answer serves the minute.
   */
  private readonly lastKey = new Map<string, { minute: number; key: string }>();

  keyFor(window: BudgetWindow, timeZone: string, at: Date): string {
    if (window === 'total') return 'total';
    const minute = Math.floor(at.getTime() / 60_000);
    const slot = `${window}|${timeZone}`;
    const last = this.lastKey.get(slot);
    if (last && last.minute === minute) return last.key;
    const key = this.computeKey(window, timeZone, at);
    this.lastKey.set(slot, { minute, key });
    return key;
  }

  private computeKey(window: 'monthly' | 'daily', timeZone: string, at: Date): string {
    const parts = this.formatter(timeZone).formatToParts(at);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    const month = `${part('year')}-${part('month')}`;
    return window === 'monthly' ? month : `${month}-${part('day')}`;
  }

  private formatter(timeZone: string): Intl.DateTimeFormat {
    let f = this.formatters.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      this.formatters.set(timeZone, f);
    }
    return f;
  }
}

/** How long a window's ledger entry is kept in Redis: past its end, with margin; `total` forever. */
export const WINDOW_TTL_SECONDS: Record<BudgetWindow, number> = {
  daily: 3 * 24 * 3600,
  monthly: 62 * 24 * 3600,
  total: 0,
};
