import type { Client } from '@elastic/elasticsearch';
import { historyIndices } from '../names';
import { expired, historyIndexDay, inUrlSizedGroups } from './retention';

/** What prune needs of the client: list the history indices, delete some. */
export type PruneClient = Pick<Client, 'transport'> & {
  cat: Pick<Client['cat'], 'transport' | 'indices'>;
  indices: Pick<Client['indices'], 'transport' | 'delete'>;
};

export interface PruneResult {
  /** Indices deleted (or, with dryRun, that would be). */
  deleted: { index: string; bytes: number }[];
  /** Daily history indices of this prefix that stay. */
  kept: string[];
  dryRun: boolean;
}

/**
 * Deletes the prefix's daily history indices whose day is past retention, by
 * the date in their name: on engines without ILM or ISM (the 7.10 engine), and
 * on ISM for the days written late, which ISM ages from their creation
 * (lifecycle.ts `lifecycleDeletesLateDays`). Only exact
 * `<prefix>history-YYYY.MM.DD` names are candidates: never the current-state
 * index, never another prefix's indices, never a name it cannot date.
 */
export async function pruneHistory(
  client: PruneClient,
  prefix: string,
  days: number,
  { dryRun = false, now = new Date() }: { dryRun?: boolean; now?: Date } = {},
): Promise<PruneResult> {
  const rows = await client.cat.indices({
    index: historyIndices(prefix),
    format: 'json',
    h: 'index,store.size',
    bytes: 'b',
    expand_wildcards: 'all',
  });
  const deleted: PruneResult['deleted'] = [];
  const kept: string[] = [];
  for (const row of rows as { index?: string; 'store.size'?: string }[]) {
    const index = row.index ?? '';
    const day = historyIndexDay(prefix, index);
    if (!day) continue;
    if (expired(day, days, now)) deleted.push({ index, bytes: Number(row['store.size']) || 0 });
    else kept.push(index);
  }
  deleted.sort((a, b) => a.index.localeCompare(b.index));
  kept.sort();
  if (!dryRun) {
    // Named indices only, never a wildcard: works with action.destructive_requires_name.
    for (const index of inUrlSizedGroups(deleted.map((d) => d.index))) await client.indices.delete({ index, ignore_unavailable: true });
  }
  return { deleted, kept, dryRun };
}

/** The one-line summary `mitra prune` and `mitra serve` print. */
export function pruneSummary(prefix: string, days: number, r: PruneResult): string {
  const bytes = r.deleted.reduce((n, d) => n + d.bytes, 0);
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const [first, last] = [r.deleted[0]?.index, r.deleted[r.deleted.length - 1]?.index];
  const range = !first ? '' : first === last ? ` (${first})` : ` (${first} .. ${last})`;
  return `prune: retention ${days}d, prefix "${prefix}": ${verb} ${r.deleted.length} history index(es), ${(bytes / 1048576).toFixed(1)} MiB${range}; kept ${r.kept.length}`;
}
