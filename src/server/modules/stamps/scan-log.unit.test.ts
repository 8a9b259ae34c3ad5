import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScanLog, FLAG_WRITE_INTERVAL_MS, NEW_FLAG_KEYS_PER_MINUTE, OVERFLOW_REF, type ScanRecord } from './scan-log.js';

type Flag = { kind: string; ref: string; n: number };
function fakeDb() {
  const flagWrites: Flag[][] = [];
  const runTx = async (fn: (tx: { query: (text: string, values: unknown[]) => Promise<unknown> }) => Promise<void>) => {
    await fn({
      query: async (text, values) => {
        if (text.startsWith('insert into stamp_flags')) flagWrites.push(JSON.parse(values[0] as string));
      },
    });
  };
  return { runTx, flagWrites };
}
const log = { error: () => {} } as never;
const unknown = (lotId: string): ScanRecord => ({
  at: new Date(), outcome: 'unknown_serial', lotId, productId: null, rangeId: null, serial: 9, client: 'bot', lang: 'vi', flag: { kind: 'unknown_serial', ref: lotId },
});

afterEach(() => { vi.useRealTimers(); });

describe('scan log: flag writes are capped (flag flooding, #13)', () => {
  it('one flag key is written at most once per interval; its scans add up and a forced flush writes the rest', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const db = fakeDb();
    const sl = createScanLog(db.runTx, log);
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 10; i++) sl.push(unknown('lot-1'));
      await sl.flush(false); // what the 250 ms timer does
      vi.advanceTimersByTime(300);
    }
    const writesOf = () => db.flagWrites.flat().filter((f) => f.ref === 'lot-1');
    expect(writesOf()).toHaveLength(1); // 5 batches within the interval → one write
    expect(writesOf()[0].n).toBe(10);
    vi.advanceTimersByTime(FLAG_WRITE_INTERVAL_MS);
    await sl.flush(false);
    expect(writesOf()).toHaveLength(2);
    expect(writesOf().reduce((a, f) => a + f.n, 0)).toBe(50); // nothing lost
    for (let i = 0; i < 7; i++) sl.push(unknown('lot-1'));
    await sl.close(); // forced
    expect(writesOf().reduce((a, f) => a + f.n, 0)).toBe(57);
  });

  it(`more than ${NEW_FLAG_KEYS_PER_MINUTE} new flags a minute are folded into one overflow flag per kind`, async () => {
    const db = fakeDb();
    const sl = createScanLog(db.runTx, log);
    for (let i = 0; i < NEW_FLAG_KEYS_PER_MINUTE + 50; i++) sl.push({ ...unknown(`lot-${i}`), outcome: 'unknown_lot', flag: { kind: 'unknown_lot', ref: `/01/gtin-${i}` } });
    await sl.close();
    const written = db.flagWrites.flat();
    // Either the minute turned during the loop (a few more keys) or exactly the cap plus one overflow flag.
    expect(written.length).toBeLessThanOrEqual(NEW_FLAG_KEYS_PER_MINUTE * 2 + 2);
    const overflow = written.filter((f) => f.ref === OVERFLOW_REF);
    expect(overflow.length).toBeGreaterThanOrEqual(1);
    expect(written.reduce((a, f) => a + f.n, 0)).toBe(NEW_FLAG_KEYS_PER_MINUTE + 50);
  });
});
