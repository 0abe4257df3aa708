/** How the incident reading writes numbers: every claim in a verdict quotes a value the report carries. */

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;
/** Page counters (pgscan, pgsteal, zone free pages) become bytes at 4 KiB, the page size of x86-64 and most arm64 kernels. */
export const PAGE_BYTES = 4096;

const trim = (n: number, digits: number): string => n.toFixed(digits).replace(/\.0+$/, '');

/** 13538394112 → "12.6 GiB"; 5697536 → "5.4 MiB". */
export function bytes(n: number): string {
  const abs = Math.abs(n);
  if (abs >= GIB) return `${trim(n / GIB, 1)} GiB`;
  if (abs >= MIB) return `${trim(n / MIB, 1)} MiB`;
  if (abs >= KIB) return `${trim(n / KIB, 1)} KiB`;
  return `${n} B`;
}

/** A change with its sign: "+5.4 MiB", "-12.6 GiB". */
export const signedBytes = (n: number): string => (n > 0 ? `+${bytes(n)}` : n < 0 ? `-${bytes(-n)}` : '0 B');

/** 375196.37 → "375,196"; small rates keep a decimal: 0.3. */
export const count = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : trim(n, 1).replace(/^-0$/, '0'));

export function seconds(s: number): string {
  if (s < 120) return `${trim(s, 1)} s`;
  if (s < 7200) return `${trim(s / 60, 1)} min`;
  return `${trim(s / 3600, 1)} h`;
}

/** Times in a verdict: the clock time when the window is within one UTC day, else the full ISO instant. */
export function timeFormatter(from: string, to: string): (t: string) => string {
  const oneDay = from.slice(0, 10) === to.slice(0, 10);
  return (t) => (oneDay ? `${t.slice(11, 23)}Z` : t);
}
