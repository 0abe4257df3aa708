import type { Observation } from './types';

/** The reclaim and I/O counters an incident reading turns into rates. Pages, except allocstall and compact_stall (events). */
export const RATE_COUNTERS = [
  'pgscan_kswapd',
  'pgscan_direct',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgmajfault',
  'pswpin',
  'pswpout',
  'allocstall',
  'compact_stall',
] as const;
export type RateCounter = (typeof RATE_COUNTERS)[number];

/**
 * Per-zone suffixes: kernels before 4.8 count pgscan/pgsteal per zone
 * (pgscan_kswapd_normal), 4.10+ count allocstall per zone. Only these are
 * summed, so pgscan_direct_throttle (another counter) is never mistaken for a zone.
 */
const ZONE_SUFFIXES = ['dma', 'dma32', 'normal', 'highmem', 'movable', 'device'];

/** A counter's value in one /proc/vmstat: the node-wide counter if the kernel has it, else the sum of its per-zone ones. */
export function counterValue(values: Record<string, number>, name: string): number | undefined {
  if (typeof values[name] === 'number') return values[name];
  let sum: number | undefined;
  for (const zone of ZONE_SUFFIXES) {
    const v = values[`${name}_${zone}`];
    if (typeof v === 'number') sum = (sum ?? 0) + v;
  }
  return sum;
}

export interface Interval {
  from: string;
  to: string;
  seconds: number;
  /** Per-second rates of the counters present at both ends. */
  rates: Partial<Record<RateCounter, number>>;
}

export interface CounterRate {
  name: RateCounter;
  /** Increase over the valid intervals (never across a reset). */
  total: number;
  /** total / seconds covered by valid intervals; null without any. */
  meanPerSecond: number | null;
  maxPerSecond: { perSecond: number; from: string; to: string } | null;
}

export interface RatesReading {
  observations: number;
  /** Consecutive observations with a counter going down: a reboot (or wrap) ends a segment there; no rate spans it. */
  resets: { from: string; to: string; counter: string }[];
  /** Unbroken runs of observations. */
  segments: number;
  intervals: Interval[];
  counters: CounterRate[];
}

/** vmstat counters as per-second rates between consecutive observations, split at counter resets. */
export function readRates(obs: Observation<Record<string, number>>[]): RatesReading {
  const resets: RatesReading['resets'] = [];
  const intervals: Interval[] = [];
  for (let i = 1; i < obs.length; i++) {
    const a = obs[i - 1];
    const b = obs[i];
    const seconds = (b.ms - a.ms) / 1000;
    if (seconds <= 0) continue;
    const deltas: Partial<Record<RateCounter, number>> = {};
    let reset: string | undefined;
    for (const name of RATE_COUNTERS) {
      const before = counterValue(a.values, name);
      const after = counterValue(b.values, name);
      if (before === undefined || after === undefined) continue;
      if (after < before) reset ??= name;
      deltas[name] = after - before;
    }
    if (reset) {
      resets.push({ from: a.t, to: b.t, counter: reset });
      continue;
    }
    const rates: Interval['rates'] = {};
    for (const [name, d] of Object.entries(deltas)) rates[name as RateCounter] = d / seconds;
    intervals.push({ from: a.t, to: b.t, seconds, rates });
  }
  return {
    observations: obs.length,
    resets,
    segments: obs.length ? resets.length + 1 : 0,
    intervals,
    counters: RATE_COUNTERS.map((name) => summarise(name, intervals)),
  };
}

function summarise(name: RateCounter, intervals: Interval[]): CounterRate {
  let total = 0;
  let seconds = 0;
  let max: CounterRate['maxPerSecond'] = null;
  for (const iv of intervals) {
    const r = iv.rates[name];
    if (r === undefined) continue;
    total += r * iv.seconds;
    seconds += iv.seconds;
    if (!max || r > max.perSecond) max = { perSecond: r, from: iv.from, to: iv.to };
  }
  return { name, total: Math.round(total), meanPerSecond: seconds ? total / seconds : null, maxPerSecond: max };
}
