import { counterValue, readRates } from './rates';
import type { Observation } from './types';

const obs = (t: string, values: Record<string, number>): Observation<Record<string, number>> => ({
  t,
  ms: Date.parse(t),
  source: 'history',
  values,
});

describe('vmstat rates', () => {
  test('a counter going down (reboot) starts a new segment: no negative rate, nothing spans the reset', () => {
    const r = readRates([
      obs('2026-11-25T02:00:00Z', { pgscan_kswapd: 1_000_000, pgmajfault: 500 }),
      obs('2026-11-25T02:00:10Z', { pgscan_kswapd: 1_100_000, pgmajfault: 600 }),
      // rebooted: counters restart near zero
      obs('2026-11-25T02:00:20Z', { pgscan_kswapd: 2_000, pgmajfault: 30 }),
      obs('2026-11-25T02:00:30Z', { pgscan_kswapd: 52_000, pgmajfault: 40 }),
    ]);
    expect(r.resets).toEqual([{ from: '2026-11-25T02:00:10Z', to: '2026-11-25T02:00:20Z', counter: 'pgscan_kswapd' }]);
    expect(r.segments).toBe(2);
    expect(r.intervals.map((i) => i.rates.pgscan_kswapd)).toEqual([10_000, 5_000]);
    const scan = r.counters.find((c) => c.name === 'pgscan_kswapd')!;
    expect(scan.total).toBe(150_000);
    expect(scan.meanPerSecond).toBe(7_500);
    expect(scan.maxPerSecond).toEqual({ perSecond: 10_000, from: '2026-11-25T02:00:00Z', to: '2026-11-25T02:00:10Z' });
    for (const i of r.intervals) for (const v of Object.values(i.rates)) expect(v).toBeGreaterThanOrEqual(0);
  });

  test('one counter resetting while others grow still breaks the interval (a reboot resets all; a wrap is no rate either)', () => {
    const r = readRates([
      obs('2026-11-25T02:00:00Z', { pgscan_kswapd: 100, pgmajfault: 10 }),
      obs('2026-11-25T02:00:10Z', { pgscan_kswapd: 200, pgmajfault: 5 }),
    ]);
    expect(r.intervals).toEqual([]);
    expect(r.resets[0].counter).toBe('pgmajfault');
  });

  test('per-zone counters of old kernels are summed; pgscan_direct_throttle is not a zone', () => {
    const v = {
      pgscan_direct_dma32: 3,
      pgscan_direct_normal: 7,
      pgscan_direct_throttle: 1000,
      allocstall_normal: 2,
      allocstall_movable: 1,
    };
    expect(counterValue(v, 'pgscan_direct')).toBe(10);
    expect(counterValue(v, 'allocstall')).toBe(3);
    expect(counterValue({ pgscan_kswapd: 5, pgscan_kswapd_normal: 99 }, 'pgscan_kswapd')).toBe(5);
    expect(counterValue({}, 'pswpout')).toBeUndefined();
  });

  test('a kernel upgrade across the reset (per-zone names before, per-node after) reads as one counter', () => {
    const r = readRates([
      obs('2026-11-25T02:00:00Z', { pgsteal_kswapd_normal: 400, pgsteal_kswapd_dma32: 100 }),
      obs('2026-11-25T02:00:10Z', { pgsteal_kswapd_normal: 900, pgsteal_kswapd_dma32: 100 }),
      obs('2026-11-25T02:00:20Z', { pgsteal_kswapd: 0 }),
      obs('2026-11-25T02:00:30Z', { pgsteal_kswapd: 300 }),
    ]);
    expect(r.intervals.map((i) => i.rates.pgsteal_kswapd)).toEqual([50, 30]);
    expect(r.resets).toHaveLength(1);
  });

  test('two observations at the same instant give no rate (no division by zero)', () => {
    const r = readRates([obs('2026-11-25T02:00:00Z', { pgmajfault: 1 }), obs('2026-11-25T02:00:00Z', { pgmajfault: 2 })]);
    expect(r.intervals).toEqual([]);
  });
});
