/** The four /proc files an incident reading needs, and what the pipeline makes of each (numbers only). */
export type MemoryFile = 'meminfo' | 'vmstat' | 'zoneinfo' | 'buddyinfo';

export const MEMORY_PATHS: Record<MemoryFile, string> = {
  meminfo: '/proc/meminfo',
  vmstat: '/proc/vmstat',
  zoneinfo: '/proc/zoneinfo',
  buddyinfo: '/proc/buddyinfo',
};

/** node<N> → zone → key → number (zoneinfo pages, buddyinfo order<K> block counts). */
export type PerZone = Record<string, Record<string, Record<string, number>>>;

/** One parsed observation of one file: `values` is flat for meminfo (bytes) and vmstat (counts). */
export interface Observation<V> {
  /** ISO time the agent observed the file. */
  t: string;
  ms: number;
  source: 'history' | 'samples';
  values: V;
}

export interface Observations {
  meminfo: Observation<Record<string, number>>[];
  vmstat: Observation<Record<string, number>>[];
  zoneinfo: Observation<PerZone>[];
  buddyinfo: Observation<PerZone>[];
}

/** When a number was seen. */
export interface At<T = number> {
  t: string;
  value: T;
}
