import { UsageError } from '../errors';

/**
 * Package version comparison, done in JavaScript over the handful of
 * (host, version) pairs the server returns for hosts that have a package —
 * not in a painless script. The dpkg algorithm (epoch, upstream, revision,
 * `~` sorting before everything) is long and would run on every document on
 * every shard; here it is a pure, unit-tested function. It orders rpm
 * versions (`1.0.2k-19.el7`) the way rpmvercmp does for common cases too.
 */
export function compareVersions(a: string, b: string): number {
  const [ea, ua, ra] = splitVersion(a);
  const [eb, ub, rb] = splitVersion(b);
  return Math.sign(ea - eb) || compareFragment(ua, ub) || compareFragment(ra, rb);
}

function splitVersion(v: string): [number, string, string] {
  const colon = v.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

/** dpkg's verrevcmp: alternating non-digit and digit runs; `~` sorts lowest, letters before other symbols. */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = order(a[i]) - order(b[j]);
      if (d) return Math.sign(d);
      i++;
      j++;
    }
    let na = '';
    let nb = '';
    while (i < a.length && isDigit(a[i])) na += a[i++];
    while (j < b.length && isDigit(b[j])) nb += b[j++];
    const d = compareDigits(na, nb);
    if (d) return d;
  }
  return 0;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return Math.sign(x.length - y.length);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type VersionOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

export interface VersionConstraint {
  op: VersionOp;
  version: string;
}

/** `>=3.0,<3.1`, `=1.2.3`, `<2`, `!=1.0` (comma or space separated, all must hold). */
export function parseVersionRange(text: string, param = 'version range'): VersionConstraint[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) throw rangeError(text, param);
  return parts.map((part) => {
    const m = /^(<=|>=|==|!=|<|>|=)?([0-9A-Za-z.+~:_-]+)$/.exec(part);
    if (!m) throw rangeError(text, param);
    const op = (m[1] === '==' ? '=' : (m[1] ?? '=')) as VersionOp;
    return { op, version: m[2] };
  });
}

const rangeError = (text: string, param: string) =>
  new UsageError(`${param} "${text}" is not a version range: use constraints like >=3.0 or ">=1.1,<3" (all must hold)`);

export function satisfies(version: string, range: readonly VersionConstraint[]): boolean {
  return range.every(({ op, version: bound }) => {
    const c = compareVersions(version, bound);
    switch (op) {
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '=':
        return c === 0;
      case '!=':
        return c !== 0;
    }
  });
}
