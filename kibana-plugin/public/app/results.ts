import type { DriftResult, HostsResult, SearchResult, ValueHostsResult } from '@mitra/core';

/** One line of the Fleet results table, whatever the question was. */
export interface ResultRow {
  host: string;
  /** The file that matched, when the question was about a file. */
  path?: string;
  /** What the question asked about, for this host: kernel release, OS, size, setting value, content hash, state. */
  value: string;
  lastSeen: string | null;
  kernel?: string;
  os?: string;
}

export interface Bucket {
  label: string;
  count: number;
}

/** Bars a bucket chart draws (the largest buckets). */
export const CHART_BARS = 12;

/** A bucket chart's height, known before its (lazy) chunk loads: the placeholder takes it, so nothing below moves. */
export const bucketChartHeight = (buckets: Bucket[]): number => Math.max(120, 28 * Math.min(buckets.length, CHART_BARS) + 40);

export interface Answer {
  rows: ResultRow[];
  /** Matches in all pages. */
  total: number;
  /** What `total` counts: hosts, or matching files (Lucene hits; one host can have several). */
  unit: 'hosts' | 'files';
  asOf: string | null;
  /** The distribution the question is about (setting values, file variants), most common first. */
  distribution?: Bucket[];
  /** Hosts that could not be judged (no package inventory). */
  unknown?: string[];
  conditions?: string[];
}

const bytes = (n: number | null | undefined) => (n === null || n === undefined ? '' : `${n} bytes`);
const shortHash = (h: string | null) => (h ? h.slice(0, 12) : '');

/** Turns the answer of whichever catalog question was asked (by its id) into table rows. */
export function toAnswer(questionId: string, body: unknown): Answer {
  switch (questionId) {
    case 'search': {
      const r = body as SearchResult;
      const rows = r.hits.map((h) => ({
        host: h.host,
        path: h.path,
        value: h.state === 'present' ? bytes(h.size) : h.state,
        lastSeen: h.timestamp,
      }));
      return { rows, total: r.total, unit: 'files', asOf: r.asOf };
    }
    case 'values': {
      // The distribution, and one page of the hosts with one value (the one asked for, else the most common).
      const r = body as ValueHostsResult;
      const rows = r.hosts.map((h) => ({ host: h.host, path: h.path, value: r.value ?? '', lastSeen: h.lastSeen }));
      const distribution = r.values.map((b) => ({ label: b.value, count: b.count }));
      // A key with more distinct values than are listed: the rest of its hosts in one bar, never dropped.
      if (r.otherHosts) distribution.push({ label: 'other values', count: r.otherHosts });
      return { rows, total: r.valueTotal, unit: 'hosts', asOf: r.asOf, distribution };
    }
    case 'drift': {
      const r = body as DriftResult;
      const rows = r.hosts.map((h) => ({
        host: h.host,
        path: r.path,
        value: h.state === 'present' ? shortHash(h.hash) : h.state,
        lastSeen: h.lastSeen,
      }));
      const distribution = r.variants.map((v) => ({ label: v.state === 'present' ? shortHash(v.hash) : v.state, count: v.hosts }));
      return { rows, total: r.total, unit: 'hosts', asOf: r.asOf, distribution };
    }
    case 'hosts': {
      const r = body as HostsResult;
      const rows = r.hosts.map((h) => ({
        host: h.host,
        path: h.file?.path,
        value: h.kernel ?? h.os ?? (h.file ? bytes(h.file.size) : undefined) ?? h.package?.versions.join(', ') ?? '',
        lastSeen: h.lastSeen,
        ...(h.kernel ? { kernel: h.kernel } : {}),
        ...(h.os ? { os: h.os } : {}),
      }));
      return { rows, total: r.total, unit: 'hosts', asOf: r.asOf, unknown: r.unknown?.map((u) => u.host), conditions: r.conditions };
    }
    default:
      return genericAnswer(body);
  }
}

/** A question the app has no view of its own for: the rows of the answer's first list that name a host. */
function genericAnswer(body: unknown): Answer {
  const r = (body ?? {}) as Record<string, unknown>;
  const list = Object.values(r).find((v): v is Record<string, unknown>[] => Array.isArray(v)) ?? [];
  const rows = list
    .filter((x) => x && typeof x === 'object' && typeof x.host === 'string')
    .map((x) => ({
      host: String(x.host),
      ...(typeof x.path === 'string' ? { path: x.path } : {}),
      value: typeof x.value === 'string' ? x.value : '',
      lastSeen: typeof x.lastSeen === 'string' ? x.lastSeen : null,
    }));
  const asOf = typeof r.asOf === 'string' ? r.asOf : null;
  return { rows, total: typeof r.total === 'number' ? r.total : rows.length, unit: 'hosts', asOf };
}

/** Counts of each distinct value, most common first (ties by label), for facet charts. */
export function countBy(values: (string | undefined)[]): Bucket[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Kernel major.minor and OS facets of the rows that carry them. */
export function facets(rows: ResultRow[]): { kernel: Bucket[]; os: Bucket[] } {
  return { kernel: countBy(rows.map((r) => /^\d+\.\d+/.exec(r.kernel ?? '')?.[0])), os: countBy(rows.map((r) => r.os)) };
}

/** One page of rows that the server answered all at once. */
export function pageRows<T>(rows: T[], page: number, size: number): T[] {
  return rows.slice((page - 1) * size, page * size);
}

/** "12 hosts, as of 2026-11-27 03:00 UTC" (or "3 matching files, ..." for Lucene). */
export function summary(a: Answer): string {
  const when = a.asOf ? formatTime(a.asOf) : 'no data yet';
  const noun = a.unit === 'files' ? (a.total === 1 ? 'matching file' : 'matching files') : a.total === 1 ? 'host' : 'hosts';
  return `${a.total} ${noun}, as of ${when}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
