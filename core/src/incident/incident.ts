import { UsageError } from '../errors';
import { readFragmentation, DEFAULT_ORDER, type FragmentationReading } from './fragmentation';
import { readMemory, type MemoryReading } from './memory';
import { readRates, type RatesReading } from './rates';
import { readObservations, type Window } from './read';
import { readKernel, readSettings, type SettingInForce } from './settings';
import { timeFormatter } from './units';
import { DEFAULT_THRESHOLDS, writeVerdict, type PatternThresholds, type Verdict } from './verdict';
import { readWatermarks, type ZoneWatermarks } from './watermarks';
import type { IndexScope } from '../history/scope';

export interface IncidentQuery extends Window {
  /** Fragmentation is read at orders ≥ this (default 3). */
  order?: number;
  thresholds?: Partial<PatternThresholds>;
}

export interface IncidentReport {
  host: string;
  from: string;
  to: string;
  kernel: string | null;
  /** Documents read from each store: full history snapshots and compact samples. */
  sources: { history: number; samples: number };
  thresholds: PatternThresholds;
  verdict: Verdict;
  memory: MemoryReading;
  zones: ZoneWatermarks[];
  fragmentation: FragmentationReading;
  reclaim: RatesReading;
  settings: SettingInForce[];
}

/** What memory did on one host in a window, from the stored /proc snapshots and samples, with a verdict. */
export async function incidentReport(scope: IndexScope, q: IncidentQuery): Promise<IncidentReport> {
  checkWindow(q.from, q.to);
  const thresholds = checkThresholds({ ...DEFAULT_THRESHOLDS, ...q.thresholds });
  const order = checkOrder(q.order ?? DEFAULT_ORDER);
  const { obs, sources } = await readObservations(scope, q);
  const [settings, kernel] = await Promise.all([readSettings(scope, q), readKernel(scope, q)]);
  const memory = readMemory(obs.meminfo);
  const zones = readWatermarks(obs.zoneinfo);
  const fragmentation = readFragmentation(obs.buddyinfo, order);
  const reclaim = readRates(obs.vmstat);
  const verdict = writeVerdict({ memory, zones, fragmentation, reclaim, settings, thresholds, time: timeFormatter(q.from, q.to) });
  return { host: q.host, from: q.from, to: q.to, kernel, sources, thresholds, verdict, memory, zones, fragmentation, reclaim, settings };
}

export function checkWindow(from: string, to: string): void {
  if (Date.parse(from) >= Date.parse(to)) throw new UsageError(`the window is empty: from (${from}) must be before to (${to})`);
}

export function checkOrder(order: number): number {
  if (!Number.isInteger(order) || order < 0 || order > 10)
    throw new UsageError(`order ${order} is out of range: use a buddy order from 0 to 10`);
  return order;
}

export function checkThresholds(t: PatternThresholds): PatternThresholds {
  for (const [name, v] of [
    ['cache drop', t.cacheDrop],
    ['anonymous bound', t.anonBound],
  ] as const) {
    if (!Number.isFinite(v) || v <= 0 || v > 1)
      throw new UsageError(`${name} ${v} is out of range: use a fraction above 0 and at most 1, e.g. 0.5 or 50%`);
  }
  return t;
}

/** "50%" or "0.5" → 0.5; `what` names the flag or parameter in the error. */
export function parseFraction(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const value = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(value > 0 && value <= 1)) throw new UsageError(`${what} "${text}" is not a fraction: use e.g. 0.5 or 50% (above 0, at most 1)`);
  return value;
}
