import { readAll, sourcePath, type IndexScope } from '../history/scope';
import { historyIndices, samplesIndices } from '../names';
import { storedMillis } from '../parse';
import { MEMORY_PATHS, type MemoryFile, type Observation, type Observations, type PerZone } from './types';

/** A window is read whole; past this many documents the answer would be slow and huge, so the caller narrows it. */
export const MAX_DOCUMENTS = 50_000;
const FILES = Object.keys(MEMORY_PATHS) as MemoryFile[];
const SOURCE_FIELDS = ['@timestamp', 'file.path', ...FILES.map((f) => `mitra.${f}`)];

export interface Window {
  host: string;
  /** ISO instants, from < to. */
  from: string;
  to: string;
}

/**
 * Every parsed meminfo, vmstat, zoneinfo and buddyinfo observation of a host
 * in the window, from the history indices (full snapshots) and the samples
 * indices (the agent's short-interval numbers), merged in time order. The
 * values are read from `_source`: the numeric maps are not necessarily mapped as fields.
 */
export async function readObservations(
  scope: IndexScope,
  w: Window,
): Promise<{ obs: Observations; sources: Record<Observation<unknown>['source'], number> }> {
  const range = { range: { '@timestamp': { gte: w.from, lte: w.to } } };
  const host = { term: { 'host.name': w.host } };
  const history = await readAll(
    scope,
    historyIndices(scope.prefix),
    { bool: { filter: [host, range, { terms: { 'file.path': Object.values(MEMORY_PATHS) } }] } },
    SOURCE_FIELDS,
    MAX_DOCUMENTS,
  );
  const samples = await readAll(scope, samplesIndices(scope.prefix), { bool: { filter: [host, range] } }, SOURCE_FIELDS, MAX_DOCUMENTS);
  const byFile = Object.fromEntries(FILES.map((f) => [f, new Map<number, Observation<unknown>>()])) as Record<
    MemoryFile,
    Map<number, Observation<unknown>>
  >;
  const add = (source: Observation<unknown>['source'], doc: unknown, files: MemoryFile[]) => {
    const ms = storedMillis(sourcePath(doc, '@timestamp'));
    if (!Number.isFinite(ms)) return;
    for (const f of files) {
      const values = sourcePath(doc, `mitra.${f}`);
      // A snapshot the parser refused has content and mitra.error but no numbers: nothing to read.
      if (values && typeof values === 'object' && !byFile[f].has(ms))
        byFile[f].set(ms, { t: new Date(ms).toISOString(), ms, source, values });
    }
  };
  for (const doc of history) {
    const file = FILES.find((f) => MEMORY_PATHS[f] === sourcePath(doc, 'file.path'));
    if (file) add('history', doc, [file]);
  }
  for (const doc of samples) add('samples', doc, FILES);
  const sorted = <V>(f: MemoryFile) => [...byFile[f].values()].sort((a, b) => a.ms - b.ms) as Observation<V>[];
  return {
    obs: {
      meminfo: sorted<Record<string, number>>('meminfo'),
      vmstat: sorted<Record<string, number>>('vmstat'),
      zoneinfo: sorted<PerZone>('zoneinfo'),
      buddyinfo: sorted<PerZone>('buddyinfo'),
    },
    sources: { history: history.length, samples: samples.length },
  };
}
