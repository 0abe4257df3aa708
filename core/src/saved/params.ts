import { UsageError } from '../errors';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every `{{var}}` a parameter tree uses, sorted. */
export function placeholders(params: unknown): string[] {
  const found = new Set<string>();
  walkStrings(params, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]);
    return s;
  });
  return [...found].sort();
}

/**
 * Replaces `{{var}}` in every string of `params` with `vars[var]`. A missing
 * variable is an error naming it, never an empty string that would silently
 * widen the query.
 */
export function substitute<T>(params: T, vars: Record<string, string>, what: string): T {
  return walkStrings(params, (s) =>
    s.replace(PLACEHOLDER, (_, name: string) => {
      if (!Object.hasOwn(vars, name))
        throw new UsageError(`${what} needs parameter "${name}": pass it as --var ${name}=VALUE (API: vars.${name})`);
      return vars[name];
    }),
  ) as T;
}

function walkStrings(node: unknown, f: (s: string) => string): unknown {
  if (typeof node === 'string') return f(node);
  if (Array.isArray(node)) return node.map((n) => walkStrings(n, f));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walkStrings(v, f)]));
  return node;
}

/** `name=value` pairs (CLI --var) into a map; the value may contain "=". */
export function parseVars(pairs: string[], param = '--var'): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${param} "${pair}" is not name=value`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}
