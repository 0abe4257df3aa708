import { z } from 'zod';

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
  // No prototype, so a parameter named __proto__ is kept (and refused as unknown), not swallowed as the object's prototype.
  const out: Record<string, unknown> = Object.create(null);
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

/** Routes without a body accept none, or `{}` (what the web app posts). */
export const NO_BODY = z.unknown().superRefine((v, ctx) => {
  const empty = v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
  if (!empty) ctx.addIssue({ code: 'custom', message: 'must be empty or {}: this route takes its input from the query string' });
});

export const NO_QUERY = queryShape({});
