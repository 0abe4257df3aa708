import { clusterUrl, isMissingDocument, type LogLine, type MitraClient } from '../client';
import { explainSearchError } from '../fleet/common';
import { explainError } from '../connection';
import { UsageError } from '../errors';
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
  const index = currentIndex(scope.prefix);
  try {
    const res = await scope.client.get<Record<string, unknown>>({
      index,
      id: currentStateId(host, path),
      _source_includes: ['@timestamp'],
    });
    return res.found ? String(sourcePath(res._source, '@timestamp')) : null;
  } catch (e) {
    // A 404 means the host never sent the file (found: false) only when the index exists: a missing index is the setup error.
    if (isMissingDocument(e)) return null;
    throw explainSearchError(e, scope.client, index);
  }
}

/** Runs cluster work, turning client errors into one-line Mitra errors that name the cluster (for the CLI). */
export async function explained<T>(scope: IndexScope, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw explainError(e, clusterUrl(scope.client));
  }
}

const PAGE = 5000;

/**
 * The `_source` (only `fields`) of every document matching `query`, through a scroll,
 * refusing more than maxDocuments up front with a usage error that says to narrow the window.
 * For reads bounded by one host (or one window): the parsed /proc numbers are not indexed.
 */
export async function readAll(scope: IndexScope, index: string, query: object, fields: string[], maxDocuments: number): Promise<unknown[]> {
  const first = await scope.client.search({
    index,
    ...LENIENT,
    query,
    size: PAGE,
    scroll: '1m',
    sort: ['_doc'],
    track_total_hits: true,
    _source: fields,
  });
  const total = typeof first.hits.total === 'number' ? first.hits.total : (first.hits.total?.value ?? 0);
  const scrollId = first._scroll_id;
  try {
    if (total > maxDocuments) {
      throw new UsageError(`the window holds ${total} documents (more than ${maxDocuments}): narrow --from/--to (from=, to=)`);
    }
    const out = first.hits.hits.map((h) => h._source);
    let id = scrollId;
    while (out.length < total && id) {
      const next = await scope.client.scroll({ scroll_id: id, scroll: '1m' });
      if (!next.hits.hits.length) break;
      out.push(...next.hits.hits.map((h) => h._source));
      id = next._scroll_id;
    }
    return out;
  } finally {
    if (scrollId) await scope.client.clearScroll({ scroll_id: scrollId }, { ignore: [404] }).catch(() => undefined);
  }
}
