import type { At, Observation } from './types';

/** The meminfo keys an incident reading shows, in bytes as the pipeline stores them. */
export const MEMORY_KEYS = ['Cached', 'Buffers', 'AnonPages', 'Active(file)', 'Inactive(file)', 'Dirty', 'Writeback', 'MemFree'] as const;

export type MemoryKey = (typeof MEMORY_KEYS)[number];
export type MemoryPoint = { t: string } & { [K in MemoryKey]?: number };

export interface Rate {
  from: string;
  to: string;
  /** Bytes per second, signed (negative: falling). */
  perSecond: number;
}

export interface KeySummary {
  key: string;
  first: At;
  last: At;
  /** last − first, bytes. */
  change: number;
  min: At;
  max: At;
  /** The steepest step between two consecutive observations (by absolute rate), or null with fewer than two. */
  fastest: Rate | null;
}

/** A move of one key between two observations, with the other key's change over the same span. */
export interface Move {
  from: string;
  to: string;
  seconds: number;
  before: number;
  after: number;
  /** after − before, bytes (negative for a fall). */
  change: number;
  /** The other side over the same span: AnonPages for a cache fall, Cached for an anonymous rise. */
  otherChange: number;
}

export interface MemoryReading {
  observations: number;
  memTotal: number | null;
  keys: KeySummary[];
  /** The largest fall of Cached between any two observations in the window (earlier minus later). */
  cacheFall: Move | null;
  /** The largest rise of AnonPages between any two observations. */
  anonRise: Move | null;
  /** Every observation, for charts: time and the MEMORY_KEYS in bytes. */
  points: MemoryPoint[];
}

type Obs = Observation<Record<string, number>>;

/** Page cache against anonymous memory over the window, from meminfo observations in time order. */
export function readMemory(obs: Obs[]): MemoryReading {
  const keys = MEMORY_KEYS.map((k) => summarise(obs, k)).filter((s): s is KeySummary => s !== null);
  const points = obs.map((o) => ({ t: o.t, ...pick(o.values) }));
  const memTotal = obs.length ? (obs[obs.length - 1].values.MemTotal ?? null) : null;
  return {
    observations: obs.length,
    memTotal,
    keys,
    cacheFall: extremeMove(obs, 'Cached', 'AnonPages', -1),
    anonRise: extremeMove(obs, 'AnonPages', 'Cached', 1),
    points,
  };
}

function pick(values: Record<string, number>): { [K in MemoryKey]?: number } {
  const out: { [K in MemoryKey]?: number } = {};
  for (const k of MEMORY_KEYS) if (typeof values[k] === 'number') out[k] = values[k];
  return out;
}

function summarise(obs: Obs[], key: string): KeySummary | null {
  const seen = obs.filter((o) => typeof o.values[key] === 'number');
  if (!seen.length) return null;
  const at = (o: Obs): At => ({ t: o.t, value: o.values[key] });
  let min = seen[0];
  let max = seen[0];
  let fastest: Rate | null = null;
  for (let i = 1; i < seen.length; i++) {
    if (seen[i].values[key] < min.values[key]) min = seen[i];
    if (seen[i].values[key] > max.values[key]) max = seen[i];
    const seconds = (seen[i].ms - seen[i - 1].ms) / 1000;
    if (seconds <= 0) continue;
    const perSecond = (seen[i].values[key] - seen[i - 1].values[key]) / seconds;
    if (!fastest || Math.abs(perSecond) > Math.abs(fastest.perSecond)) fastest = { from: seen[i - 1].t, to: seen[i].t, perSecond };
  }
  const first = seen[0];
  const last = seen[seen.length - 1];
  return { key, first: at(first), last: at(last), change: last.values[key] - first.values[key], min: at(min), max: at(max), fastest };
}

/**
 * The largest move of `key` in one direction between an earlier and a later
 * observation (direction -1: the deepest fall from a running peak; +1: the
 * highest rise from a running trough), in one pass.
 */
export function extremeMove(obs: Obs[], key: string, other: string, direction: 1 | -1): Move | null {
  const seen = obs.filter((o) => typeof o.values[key] === 'number');
  let anchor: Obs | undefined;
  let best: Move | null = null;
  for (const o of seen) {
    if (!anchor || direction * (o.values[key] - anchor.values[key]) < 0) {
      anchor = o;
      continue;
    }
    const change = o.values[key] - anchor.values[key];
    if (change === 0 || (best && Math.abs(change) <= Math.abs(best.change))) continue;
    best = {
      from: anchor.t,
      to: o.t,
      seconds: (o.ms - anchor.ms) / 1000,
      before: anchor.values[key],
      after: o.values[key],
      change,
      otherChange: (o.values[other] ?? 0) - (anchor.values[other] ?? 0),
    };
  }
  return best;
}
