import { readFragmentation } from './fragmentation';
import { extremeMove, readMemory } from './memory';
import type { Observation, PerZone } from './types';
import { DEFAULT_THRESHOLDS, isAnonymousDemand, isCacheEviction } from './verdict';
import { readWatermarks } from './watermarks';

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 2, 0, s)).toISOString();
const mem = (s: number, values: Record<string, number>): Observation<Record<string, number>> => ({
  t: at(s),
  ms: Date.parse(at(s)),
  source: 'samples',
  values,
});
const zones = (s: number, values: PerZone): Observation<PerZone> => ({ t: at(s), ms: Date.parse(at(s)), source: 'samples', values });
const GiB = 2 ** 30;

describe('page cache against anonymous memory', () => {
  test('the deepest fall is found from a running peak, not first to last', () => {
    const obs = [mem(0, { Cached: 4 * GiB }), mem(10, { Cached: 10 * GiB }), mem(20, { Cached: 1 * GiB }), mem(30, { Cached: 3 * GiB })];
    expect(extremeMove(obs, 'Cached', 'AnonPages', -1)).toMatchObject({ from: at(10), to: at(20), change: -9 * GiB });
  });

  test('eviction needs both a deep cache fall and nearly still anonymous memory', () => {
    const still = readMemory([
      mem(0, { MemTotal: 64 * GiB, Cached: 12 * GiB, AnonPages: 40 * GiB }),
      mem(9, { MemTotal: 64 * GiB, Cached: 1 * GiB, AnonPages: 40 * GiB + 5 * 2 ** 20 }),
    ]);
    expect(isCacheEviction(still, DEFAULT_THRESHOLDS)).toBe(true);
    expect(isAnonymousDemand(still, DEFAULT_THRESHOLDS)).toBe(false);
    const pushed = readMemory([
      mem(0, { MemTotal: 64 * GiB, Cached: 12 * GiB, AnonPages: 40 * GiB }),
      mem(9, { MemTotal: 64 * GiB, Cached: 1 * GiB, AnonPages: 51 * GiB }),
    ]);
    expect(isCacheEviction(pushed, DEFAULT_THRESHOLDS)).toBe(false);
    expect(isAnonymousDemand(pushed, DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('watermarks and fragmentation', () => {
  test('an empty zone (no managed pages, free 0 under min 32) never counts as reaching a watermark', () => {
    const obs = [
      zones(0, {
        node0: {
          normal: { free: 5000, min: 100, low: 125, high: 150, managed: 100000 },
          movable: { free: 0, min: 32, low: 32, high: 32, managed: 0 },
        },
      }),
    ];
    const w = readWatermarks(obs);
    expect(w.map((z) => z.label)).toEqual(['Node 0 Normal']);
    expect(w[0].reachedMin).toBeNull();
  });

  test('free at the low mark counts as reaching it; the first such moment is reported', () => {
    const obs = [
      zones(0, { node0: { normal: { free: 200, min: 100, low: 125, high: 150 } } }),
      zones(10, { node0: { normal: { free: 125, min: 100, low: 125, high: 150 } } }),
      zones(20, { node0: { normal: { free: 90, min: 100, low: 125, high: 150 } } }),
    ];
    const [z] = readWatermarks(obs);
    expect(z.reachedLow).toEqual({ t: at(10), free: 125, mark: 125 });
    expect(z.reachedMin).toEqual({ t: at(20), free: 90, mark: 100 });
    expect(z.marginToLow).toBe(-35);
  });

  test('blocks of order >= K are summed per observation and the lowest kept', () => {
    const orders = (...c: number[]) => Object.fromEntries(c.map((v, k) => [`order${k}`, v]));
    const f = readFragmentation(
      [zones(0, { node1: { normal: orders(9, 9, 9, 4, 2, 1) } }), zones(10, { node1: { normal: orders(9, 9, 9, 0, 1, 0) } })],
      3,
    );
    expect(f.zones[0]).toMatchObject({ label: 'Node 1 Normal', lowest: { t: at(10), value: 1 } });
    expect(readFragmentation([zones(0, { node1: { normal: orders(9, 9, 9, 4, 2, 1) } })], 5).zones[0].lowest.value).toBe(1);
  });
});
