/** Human output: aligned plain-text tables and the "N hosts, as of T" footer. */

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string[] {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...cells.map(line)];
}

export const footer = (count: number, noun: string, asOf: string | null): string =>
  `${count} ${count === 1 ? noun : noun.endsWith('h') ? `${noun}es` : `${noun}s`}${asOf ? `, as of ${asOf}` : ''}`;

/** A list of names, cut after `max` with a count of the rest. */
export function nameList(names: string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, … (+${names.length - max} more; --json lists all)`;
}

export const shortHash = (hash: string | null | undefined): string => (hash ? hash.slice(0, 12) : '-');
