import type { estypes } from '@elastic/elasticsearch';
import type { MitraClient } from './client';
import { UsageError } from './errors';

/**
 * One page of a sorted list kept in Elasticsearch (saved searches, alert
 * rules, alert events), in the paging model of the questions: `size` items
 * after `cursor` (the `next` of the previous page), with the `total` of all
 * pages. Pages are read with search_after, never from/size, so the hundredth
 * page costs what the first does and no page falls outside the result window.
 * The sort must be unique per document (a tie-breaker last): the cursor holds
 * the sort values of the page's last item, so it is exact. Callers treat it
 * as opaque text.
 */
export interface PageRequest {
  /** Items per page (1 to 10000, default `defaultSize`). */
  size?: number;
  /** The `next` of the previous page; the first page without it. */
  cursor?: string;
}

export interface SortedPage<T> {
  /** Items in the whole list (all pages). */
  total: number;
  size: number;
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last. */
  next?: string;
}

/** The kinds of the sort values, in sort order: what a cursor must hold. */
export type SortKinds = readonly ('string' | 'number')[];

type SortValue = string | number;

/** Elasticsearch's index.max_result_window: one request returns at most this many hits. */
const RESULT_WINDOW = 10_000;

export async function sortedPage<T, S = T>(
  client: MitraClient,
  request: Omit<estypes.SearchRequest, 'size' | 'from' | 'search_after' | 'track_total_hits'>,
  page: PageRequest,
  list: {
    what: string;
    kinds: SortKinds;
    defaultSize: number;
    /** The item a hit makes (default: its _source), for lists that also show _id or _index. */
    item?: (hit: estypes.SearchHit<S>) => T;
  },
): Promise<SortedPage<T>> {
  const size = page.size ?? list.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > RESULT_WINDOW)
    throw new UsageError(`size ${String(page.size)} is out of range: use a whole number from 1 to ${RESULT_WINDOW}`);
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, list);
  // One hit more than the page says whether another page follows (within the window: a full 10000 page is taken as not the last).
  const res = await client.search<S>({
    ...request,
    size: Math.min(size + 1, RESULT_WINDOW),
    track_total_hits: true,
    ...(after ? { search_after: after } : {}),
  });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  const hits = res.hits.hits.slice(0, size);
  const more = res.hits.hits.length > size || (size === RESULT_WINDOW && hits.length === size);
  const last = hits[hits.length - 1];
  return {
    total,
    size,
    items: hits.map(list.item ?? ((h) => h._source as unknown as T)),
    ...(more && last?.sort ? { next: encodeCursor(last.sort as SortValue[]) } : {}),
  };
}

export const encodeCursor = (sort: SortValue[]): string => Buffer.from(JSON.stringify(sort), 'utf8').toString('base64url');

function decodeCursor(cursor: string, list: { what: string; kinds: SortKinds }): SortValue[] {
  const bad = () =>
    new UsageError(
      `cursor "${cursor.length > 80 ? `${cursor.slice(0, 80)}…` : cursor}" is not a cursor of the ${list.what}: ` +
        'pass the next of the previous answer, or leave the cursor out for the first page',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const fits =
    Array.isArray(values) &&
    values.length === list.kinds.length &&
    values.every((v, i) => typeof v === list.kinds[i] && (typeof v !== 'number' || Number.isFinite(v)));
  if (!fits) throw bad();
  return values as SortValue[];
}
