import { currentStateId } from '../ids';
import { LENIENT, sourcePath, type IndexScope } from '../history/scope';
import type { Window } from './read';
import { currentIndex, historyIndices } from '../names';
import { storedMillis } from '../parse';

/** The live settings that change how memory pressure reads: reclaim balance, reserves, writeback. */
export const MEMORY_SETTINGS = /^vm\.(swappiness|min_free_kbytes|watermark_scale_factor|zone_reclaim_mode|vfs_cache_pressure|dirty_\w+)$/;

export interface SettingInForce {
  key: string;
  value: string;
  /** When this value was recorded (the snapshot's @timestamp). */
  since: string;
}

/** A versioned file as it was in the window: the version in force at `from` and every change up to `to`. */
export interface InForce {
  /** Oldest first. */
  versions: { t: string; source: unknown }[];
}

/**
 * Versions of (host, path) that were in force during the window: the latest
 * history version at or before `from`, then each one up to `to`. Falls back to
 * the current-state document when it already held that content at `to`.
 */
export async function inForce(scope: IndexScope, w: Window, path: string, fields: string[]): Promise<InForce> {
  const res = await scope.client.search({
    index: historyIndices(scope.prefix),
    ...LENIENT,
    query: {
      bool: { filter: [{ term: { 'host.name': w.host } }, { term: { 'file.path': path } }, { range: { '@timestamp': { lte: w.to } } }] },
    },
    sort: [{ '@timestamp': { order: 'desc' } }],
    size: 100,
    _source: ['@timestamp', ...fields],
  });
  const versions: InForce['versions'] = [];
  for (const h of res.hits.hits) {
    const t = String(sourcePath(h._source, '@timestamp'));
    versions.unshift({ t, source: h._source });
    if (storedMillis(t) <= Date.parse(w.from)) break;
  }
  if (versions.length) return { versions };
  const current = await scope.client.get(
    {
      index: currentIndex(scope.prefix),
      id: currentStateId(w.host, path),
      _source_includes: ['@timestamp', 'mitra.changed_at', ...fields],
    },
    { ignore: [404] },
  );
  const changedAt = current.found ? sourcePath(current._source, 'mitra.changed_at') : undefined;
  if (typeof changedAt === 'string' && storedMillis(changedAt) <= Date.parse(w.to))
    versions.push({ t: changedAt, source: current._source });
  return { versions };
}

/** vm.swappiness, vm.min_free_kbytes, vm.dirty_* ... from the live `mitra:sysctl` documents in force in the window; a change inside it is a second entry. */
export async function readSettings(scope: IndexScope, w: Window): Promise<SettingInForce[]> {
  const { versions } = await inForce(scope, w, 'mitra:sysctl', ['mitra.settings']);
  const out: SettingInForce[] = [];
  const last = new Map<string, string>();
  for (const v of versions) {
    const entries = sourcePath(v.source, 'mitra.settings');
    for (const e of Array.isArray(entries) ? entries : []) {
      const key = String((e as { key?: unknown }).key);
      const value = String((e as { value?: unknown }).value);
      if (!MEMORY_SETTINGS.test(key) || last.get(key) === value) continue;
      last.set(key, value);
      out.push({ key, value, since: v.t });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key) || a.since.localeCompare(b.since));
}

/** The kernel release the host ran in the window (the last one if it changed). */
export async function readKernel(scope: IndexScope, w: Window): Promise<string | null> {
  const { versions } = await inForce(scope, w, '/proc/version', ['mitra.kernel.release']);
  const release = versions.length ? sourcePath(versions[versions.length - 1].source, 'mitra.kernel.release') : undefined;
  return typeof release === 'string' ? release : null;
}
