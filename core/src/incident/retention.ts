import type { IndexScope } from '../history/scope';
import { UsageError } from '../errors';
import { samplesIndices } from '../names';

/**
 * Retention of the memory samples: they live in daily indices
 * (`<prefix>samples-YYYY.MM.DD`), so keeping N days is deleting whole older
 * indices — no delete-by-query, and history is never touched.
 */
export async function pruneSamples(scope: IndexScope, keepMs: number, now = new Date()): Promise<{ deleted: string[]; kept: string[] }> {
  if (!(keepMs >= 86_400_000)) throw new UsageError('samples are kept at least one day: use a retention of 1d or more, e.g. 14d');
  const res = await scope.client.indices.get({ index: samplesIndices(scope.prefix), allow_no_indices: true, ignore_unavailable: true });
  const cutoff = now.getTime() - keepMs;
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const name of Object.keys(res).sort()) {
    const m = /-(\d{4})\.(\d{2})\.(\d{2})$/.exec(name.slice(scope.prefix.length));
    // A day's index goes once its whole day is older than the cutoff.
    const dayEnd = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) : NaN;
    (Number.isFinite(dayEnd) && dayEnd <= cutoff ? deleted : kept).push(name);
  }
  if (deleted.length) await scope.client.indices.delete({ index: deleted.join(',') });
  return { deleted, kept };
}
