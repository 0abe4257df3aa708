import { clusterUrl, type LogLine, type MitraClient } from '../client';
import { explainError } from '../connection';
import { currentStateId } from '../ids';
import type { FieldRef } from '../schema';
import { currentIndex } from '../names';

/** What every query needs: a connected client and the index prefix (default `mitra-`). */
export interface IndexScope {
  client: MitraClient;
  prefix: string;
  /** Where diagnostics go (alert evaluations that failed, ...); nothing is written when absent. */
  log?: LogLine;
}

/** Searches that must answer "nothing yet" rather than 404 before the first history index exists. */
export const LENIENT = { ignore_unavailable: true, allow_no_indices: true } as const;

/** Reads a schema field from a _source document, whether stored as nested objects or dotted keys. */
export const sourcePath = (source: unknown, field: FieldRef): unknown => readPath(source, field);

function readPath(source: unknown, path: string): unknown {
  if (source == null || typeof source !== 'object') return undefined;
  const obj = source as Record<string, unknown>;
  if (path in obj) return obj[path];
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) {
    const head = parts.slice(0, i).join('.');
    if (head in obj) {
      const found = readPath(obj[head], parts.slice(i).join('.'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * When the agent last confirmed this file: the current-state document's
 * @timestamp (refreshed on every cycle even when nothing changed). History
 * answers are valid up to this instant; null when the host never sent the file.
 */
export async function lastSeen(scope: IndexScope, host: string, path: string): Promise<string | null> {
  const res = await scope.client.get<Record<string, unknown>>(
    { index: currentIndex(scope.prefix), id: currentStateId(host, path), _source_includes: ['@timestamp'] },
    { ignore: [404] },
  );
  return res.found ? String(sourcePath(res._source, '@timestamp')) : null;
}

/** Runs cluster work, turning client errors into one-line Mitra errors that name the cluster (for the CLI). */
export async function explained<T>(scope: IndexScope, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw explainError(e, clusterUrl(scope.client));
  }
}
