import { readAll, sourcePath, type IndexScope } from '../history/scope';
import { checkThresholds, checkWindow } from './incident';
import { readMemory, type Move } from './memory';
import { readKernel, readSettings } from './settings';
import type { Observation } from './types';
import { DEFAULT_THRESHOLDS, isCacheEviction, type PatternThresholds } from './verdict';
import { historyIndices, samplesIndices } from '../names';
import { storedMillis } from '../parse';

/** A fleet-wide window reads more documents than one host's, but still only three numbers each. */
const FLEET_MAX_DOCUMENTS = 1_000_000;
const FIELDS = ['@timestamp', 'host.name', 'mitra.meminfo.Cached', 'mitra.meminfo.AnonPages', 'mitra.meminfo.MemTotal'];

export interface FleetIncidentQuery {
  from: string;
  to: string;
  thresholds?: Partial<PatternThresholds>;
}

export interface FleetHit {
  host: string;
  kernel: string | null;
  swappiness: string | null;
  memTotal: number;
  /** The largest Cached fall in the window, with AnonPages' change over the same span. */
  cacheFall: Move;
  /** cacheFall / Cached before it. */
  dropFraction: number;
  /** |AnonPages change| / MemTotal over the fall. */
  anonFraction: number;
}

export interface FleetIncident {
  from: string;
  to: string;
  thresholds: PatternThresholds;
  /** Hosts with at least two meminfo observations in the window. */
  examined: number;
  /** Hosts with the pattern, the deepest relative drop first. */
  hosts: FleetHit[];
}

/** Which hosts lost page cache while anonymous memory held still, in the same window. */
export async function fleetIncident(scope: IndexScope, q: FleetIncidentQuery): Promise<FleetIncident> {
  checkWindow(q.from, q.to);
  const thresholds = checkThresholds({ ...DEFAULT_THRESHOLDS, ...q.thresholds });
  const range = { range: { '@timestamp': { gte: q.from, lte: q.to } } };
  const [history, samples] = await Promise.all([
    readAll(
      scope,
      historyIndices(scope.prefix),
      { bool: { filter: [range, { term: { 'file.path': '/proc/meminfo' } }] } },
      FIELDS,
      FLEET_MAX_DOCUMENTS,
    ),
    readAll(scope, samplesIndices(scope.prefix), { bool: { filter: [range] } }, FIELDS, FLEET_MAX_DOCUMENTS),
  ]);
  const byHost = new Map<string, Map<number, Observation<Record<string, number>>>>();
  for (const [source, docs] of [
    ['history', history],
    ['samples', samples],
  ] as const) {
    for (const doc of docs) {
      const host = sourcePath(doc, 'host.name');
      const values = sourcePath(doc, 'mitra.meminfo');
      const ms = storedMillis(sourcePath(doc, '@timestamp'));
      if (typeof host !== 'string' || !values || typeof values !== 'object' || !Number.isFinite(ms)) continue;
      if (!byHost.has(host)) byHost.set(host, new Map());
      byHost.get(host)!.set(ms, { t: new Date(ms).toISOString(), ms, source, values: values as Record<string, number> });
    }
  }
  const hits: Omit<FleetHit, 'kernel' | 'swappiness'>[] = [];
  let examined = 0;
  for (const [host, points] of byHost) {
    if (points.size < 2) continue;
    examined++;
    const memory = readMemory([...points.values()].sort((a, b) => a.ms - b.ms));
    if (!isCacheEviction(memory, thresholds)) continue;
    const fall = memory.cacheFall!;
    hits.push({
      host,
      memTotal: memory.memTotal!,
      cacheFall: fall,
      dropFraction: -fall.change / fall.before,
      anonFraction: Math.abs(fall.otherChange) / memory.memTotal!,
    });
  }
  hits.sort((a, b) => b.dropFraction - a.dropFraction || a.cacheFall.change - b.cacheFall.change || a.host.localeCompare(b.host));
  const hosts: FleetHit[] = [];
  for (const hit of hits) {
    const w = { host: hit.host, from: q.from, to: q.to };
    const [kernel, settings] = await Promise.all([readKernel(scope, w), readSettings(scope, w)]);
    const swappiness = settings.filter((s) => s.key === 'vm.swappiness').pop()?.value ?? null;
    hosts.push({ ...hit, kernel, swappiness });
  }
  return { from: q.from, to: q.to, thresholds, examined, hosts };
}
