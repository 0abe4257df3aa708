import type { At, Observation, PerZone } from './types';
import { zonesOf, zoneValues, type ZoneKey } from './zones';

export interface WatermarkPoint {
  t: string;
  free: number;
  min: number;
  low: number;
  high: number;
}

/** The first observation at which free pages were at or below a watermark. */
export interface Crossing {
  t: string;
  free: number;
  mark: number;
}

export interface ZoneWatermarks extends ZoneKey {
  /** Watermarks of the last observation, pages. */
  min: number;
  low: number;
  high: number;
  lowestFree: At;
  /** lowestFree − low at that moment, pages (negative: below low). */
  marginToLow: number;
  marginToMin: number;
  /** free ≤ low wakes kswapd; free ≤ min sends allocations into direct reclaim. */
  reachedLow: Crossing | null;
  reachedMin: Crossing | null;
  points: WatermarkPoint[];
}

/**
 * Free pages of each zone against its min/low/high watermarks. Zones without
 * managed pages (an empty Movable or Device zone shows free 0 under a non-zero
 * min) are left out: nothing allocates from them, so they never "reach" a mark.
 */
export function readWatermarks(obs: Observation<PerZone>[]): ZoneWatermarks[] {
  return zonesOf(obs)
    .map((z) => readZone(obs, z))
    .filter((z): z is ZoneWatermarks => z !== null);
}

function readZone(obs: Observation<PerZone>[], z: ZoneKey): ZoneWatermarks | null {
  const points: WatermarkPoint[] = [];
  for (const o of obs) {
    const v = zoneValues(o, z);
    if (!v || !isNum(v.free) || !isNum(v.min) || !isNum(v.low) || !isNum(v.high)) continue;
    if ((isNum(v.managed) && v.managed === 0) || (!isNum(v.managed) && isNum(v.present) && v.present === 0)) continue;
    points.push({ t: o.t, free: v.free, min: v.min, low: v.low, high: v.high });
  }
  if (!points.length) return null;
  const lowest = points.reduce((a, b) => (b.free - b.low < a.free - a.low ? b : a));
  const last = points[points.length - 1];
  const crossing = (mark: 'low' | 'min'): Crossing | null => {
    const p = points.find((q) => q.free <= q[mark]);
    return p ? { t: p.t, free: p.free, mark: p[mark] } : null;
  };
  return {
    ...z,
    min: last.min,
    low: last.low,
    high: last.high,
    lowestFree: { t: lowest.t, value: lowest.free },
    marginToLow: lowest.free - lowest.low,
    marginToMin: lowest.free - lowest.min,
    reachedLow: crossing('low'),
    reachedMin: crossing('min'),
    points,
  };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
