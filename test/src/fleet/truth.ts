import type { SimHost } from './simulator';

/**
 * Ground truth for fleet queries, computed from the simulated hosts alone —
 * never from Elasticsearch or from the query code under test.
 */
export const names = (hosts: SimHost[]): string[] => hosts.map((h) => h.name).sort();

export function fileAt(host: SimHost, path: string, at?: string): string | null | undefined {
  const file = host.files.find((f) => f.path === path);
  if (!file) return undefined;
  const versions = at === undefined ? file.versions : file.versions.filter((v) => v.at <= at);
  return versions.length ? versions[versions.length - 1].content : undefined;
}

export const byKernelMajorMinor = (hosts: SimHost[], mm: string) => names(hosts.filter((h) => h.kernel.majorMinor === mm));

export const missingPackage = (hosts: SimHost[], pkg: string) => ({
  missing: names(hosts.filter((h) => h.packages !== null && !h.packages.has(pkg))),
  unknown: names(hosts.filter((h) => h.packages === null)),
});

export const fileLargerThan = (hosts: SimHost[], path: string, bytes: number) =>
  names(hosts.filter((h) => (fileAt(h, path) ?? null) !== null && Buffer.byteLength(fileAt(h, path)!) > bytes));

/** vm.swappiness and friends: the live value wins, sysctl.conf counts for hosts without a live snapshot. */
export function settingDistribution(hosts: SimHost[], key: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const h of hosts) {
    const value = h.sysctlLive?.[key] ?? h.sysctlConf?.[key];
    if (value !== undefined) out.set(value, [...(out.get(value) ?? []), h.name].sort());
  }
  return out;
}

/** Hosts whose current copy differs from the most common content (missing counts as different). */
export function driftFromMajority(hosts: SimHost[], path: string): { majority: string; drifted: string[] } {
  const counts = new Map<string, number>();
  for (const h of hosts) {
    const c = fileAt(h, path);
    if (typeof c === 'string') counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const majority = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  return { majority, drifted: names(hosts.filter((h) => fileAt(h, path) !== undefined && fileAt(h, path) !== majority)) };
}

/** Whole-word match, as the standard analyzer tokenises `content:ext4`. */
export const containsWord = (text: string | null | undefined, word: string): boolean =>
  typeof text === 'string' && new RegExp(`(^|[^A-Za-z0-9])${word}([^A-Za-z0-9]|$)`).test(text);
