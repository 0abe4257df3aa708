import type { At, Observation, PerZone } from './types';
import { zonesOf, zoneValues, type ZoneKey } from './zones';

export const DEFAULT_ORDER = 3;
/** The buddy allocator's orders on every mainstream architecture: 0..MAX_ORDER-1 = 0..10. */
const MAX_ORDERS = 11;

export interface ZoneFragmentation extends ZoneKey {
  /** The fewest free blocks of order ≥ `order` seen in the window, and when. */
  lowest: At;
  /** Free blocks by order (index = order) at the last observation. */
  latest: { t: string; orders: number[] };
  /** Blocks of order ≥ `order` at each observation, for charts. */
  points: { t: string; blocks: number }[];
}

export interface FragmentationReading {
  order: number;
  zones: ZoneFragmentation[];
}

/** Free blocks per order from buddyinfo; a zone with none left at order ≥ `order` cannot serve such an allocation without compaction. */
export function readFragmentation(obs: Observation<PerZone>[], order = DEFAULT_ORDER): FragmentationReading {
  const zones = zonesOf(obs)
    .map((z) => readZone(obs, z, order))
    .filter((z): z is ZoneFragmentation => z !== null);
  return { order, zones };
}

function readZone(obs: Observation<PerZone>[], z: ZoneKey, order: number): ZoneFragmentation | null {
  const points: { t: string; blocks: number; orders: number[] }[] = [];
  for (const o of obs) {
    const v = zoneValues(o, z);
    if (!v) continue;
    const orders = ordersOf(v);
    points.push({ t: o.t, orders, blocks: orders.slice(order).reduce((n, c) => n + c, 0) });
  }
  if (!points.length) return null;
  const lowest = points.reduce((a, b) => (b.blocks < a.blocks ? b : a));
  const last = points[points.length - 1];
  return {
    ...z,
    lowest: { t: lowest.t, value: lowest.blocks },
    latest: { t: last.t, orders: last.orders },
    points: points.map(({ t, blocks }) => ({ t, blocks })),
  };
}

function ordersOf(v: Record<string, number>): number[] {
  const orders: number[] = [];
  for (let k = 0; k < MAX_ORDERS; k++) {
    const c = v[`order${k}`];
    if (typeof c !== 'number') break;
    orders.push(c);
  }
  return orders;
}
