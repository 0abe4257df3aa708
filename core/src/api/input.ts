import { z } from 'zod';
import { int } from '../shapes/fields';

/**
 * Query-string shapes. A query string arrives as name → text (or a list of
 * texts when repeated); `queryShape` trims, drops empty values (an empty
 * parameter means "not given", as the web app sends it), refuses a repeated
 * parameter and any parameter the route does not declare.
 */

type Raw = Record<string, string | string[] | undefined>;

/** A parameter given once arrives as a one-element list from some hosts: make it the value, so messages quote it plainly. */
export const flattenQuery = (raw: Raw): Raw =>
  Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v]));

export function queryShape<T extends z.ZodRawShape>(fields: T) {
  return z.preprocess(normaliseQuery, z.object(fields).strict());
}

function normaliseQuery(raw: unknown, ctx: z.RefinementCtx): unknown {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw as Raw)) {
    if (Array.isArray(value) && value.length > 1) {
      ctx.addIssue({ code: 'custom', path: [name], message: `is given ${value.length} times: give it once` });
      continue;
    }
    const one = Array.isArray(value) ? value[0] : value;
    if (typeof one === 'string' && !one.trim()) continue;
    if (one !== undefined) out[name] = one;
  }
  return out;
}

export const MAX_PAGE_SIZE = 1000;
/** Elasticsearch's index.max_result_window: a page past it is refused by the cluster, so by us first. */
export const RESULT_WINDOW = 10_000;

/** `page` (1-based) and `size` (≤ 1000) fields. */
export const pagingFields = (fallbackSize = 100) => ({
  page: int(1, RESULT_WINDOW, '1').optional(),
  size: int(1, MAX_PAGE_SIZE, String(fallbackSize)).optional(),
});

/** Page and size with their defaults. */
export const paging = (q: { page?: number; size?: number }, fallbackSize = 100): { page: number; size: number } => ({
  page: q.page ?? 1,
  size: q.size ?? fallbackSize,
});

/** The refinement that keeps page × size inside the result window, for the routes that page in Elasticsearch. */
export function withinWindow(q: { page?: number; size?: number }, ctx: z.RefinementCtx, fallbackSize = 100): void {
  const size = q.size ?? fallbackSize;
  const last = Math.floor(RESULT_WINDOW / size);
  if ((q.page ?? 1) > last) {
    ctx.addIssue({
      code: 'custom',
      path: ['page'],
      message: `is past the last page Elasticsearch can return with size ${size} (results stop at ${RESULT_WINDOW}): use page 1 to ${last}, or narrow the query`,
    });
  }
}

/** One page of an in-memory list, with the total. */
export function pageOf<T>(rows: T[], page: number, size: number): { total: number; page: number; size: number; rows: T[] } {
  return { total: rows.length, page, size, rows: rows.slice((page - 1) * size, page * size) };
}

/** Routes without a body accept none, or `{}` (what the web app posts). */
export const NO_BODY = z.unknown().superRefine((v, ctx) => {
  const empty = v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
  if (!empty) ctx.addIssue({ code: 'custom', message: 'must be empty or {}: this route takes its input from the query string' });
});

export const NO_QUERY = queryShape({});
