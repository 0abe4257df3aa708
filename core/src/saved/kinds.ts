import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import { fileDrift, findHosts, searchSnapshots, settingValues, type HostQuery } from '../fleet';

/**
 * The queries a saved search or an alert rule can run, by kind: each names
 * the parameters it takes, runs one of the fleet functions, and says which
 * hosts matched (what alert conditions look at).
 */
export interface QueryKind {
  description: string;
  /** Parameters the kind accepts; the first `required` of them must be given. */
  params: readonly string[];
  required: readonly string[];
  run(client: MitraClient, prefix: string, params: Record<string, unknown>): Promise<unknown>;
  /** How many things matched and on which hosts. */
  matches(result: unknown): { count: number; hosts: string[] };
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`parameter ${name} "${String(v)}" is not a whole number`);
  return n;
};
const unique = (hosts: string[]): string[] => [...new Set(hosts)].sort();

export const QUERY_KINDS: Record<string, QueryKind> = {
  lucene: {
    description: 'Lucene query over the current state (or the state at a past time with `at`)',
    params: ['query', 'at', 'size', 'page'],
    required: ['query'],
    run: (client, prefix, p) =>
      searchSnapshots(client, prefix, { query: String(p.query), at: str(p.at), size: num(p.size, 'size'), page: num(p.page, 'page') }),
    matches: (r) => {
      const res = r as Awaited<ReturnType<typeof searchSnapshots>>;
      return { count: res.total, hosts: unique(res.hits.map((h) => h.host)) };
    },
  },
  hosts: {
    description: 'hosts by kernel, os, package (missing or with a version range), file size, staleness',
    params: ['kernel', 'os', 'missingPackage', 'package', 'versionRange', 'file', 'largerThan', 'smallerThan', 'stale', 'size', 'after'],
    required: [],
    run: (client, prefix, p) => {
      const q: HostQuery = {};
      for (const key of [
        'kernel',
        'os',
        'missingPackage',
        'package',
        'versionRange',
        'file',
        'largerThan',
        'smallerThan',
        'stale',
        'after',
      ] as const) {
        const v = str(p[key]);
        if (v !== undefined) q[key] = v;
      }
      q.size = num(p.size, 'size');
      return findHosts(client, prefix, q);
    },
    matches: (r) => {
      const res = r as Awaited<ReturnType<typeof findHosts>>;
      return { count: res.total, hosts: unique(res.hosts.map((h) => h.host)) };
    },
  },
  values: {
    description: 'distribution of one setting (vm.swappiness) across the fleet',
    params: ['key'],
    required: ['key'],
    run: (client, prefix, p) => settingValues(client, prefix, { key: String(p.key) }),
    matches: (r) => {
      const res = r as Awaited<ReturnType<typeof settingValues>>;
      return { count: res.total, hosts: unique(res.values.flatMap((v) => v.hosts.map((h) => h.host))) };
    },
  },
  drift: {
    description: 'hosts whose copy of a file differs from the majority or from a golden host',
    params: ['path', 'golden'],
    required: ['path'],
    run: (client, prefix, p) => fileDrift(client, prefix, { path: String(p.path), golden: str(p.golden) }),
    matches: (r) => {
      const res = r as Awaited<ReturnType<typeof fileDrift>>;
      return { count: res.total, hosts: unique(res.hosts.map((h) => h.host)) };
    },
  },
};

/** A kind by name, with a message listing the kinds when it is unknown. */
export function queryKind(kind: string): QueryKind {
  const k = Object.hasOwn(QUERY_KINDS, kind) ? QUERY_KINDS[kind] : undefined;
  if (!k) throw new UsageError(`kind "${kind}" is not a query kind: use one of ${Object.keys(QUERY_KINDS).join(', ')}`);
  return k;
}

/** Checks params against the kind before anything is stored or run. `{{var}}` placeholders are allowed anywhere. */
export function checkParams(kind: string, params: unknown): Record<string, unknown> {
  const k = queryKind(kind);
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new UsageError(`params must be an object of ${kind} parameters (${k.params.join(', ')})`);
  }
  const p = params as Record<string, unknown>;
  const unknown = Object.keys(p).filter((key) => !k.params.includes(key));
  if (unknown.length) throw new UsageError(`parameter ${unknown[0]} is not a ${kind} parameter: use ${k.params.join(', ')}`);
  const missing = k.required.find((key) => p[key] === undefined || p[key] === '');
  if (missing) throw new UsageError(`a ${kind} query needs parameter ${missing}`);
  return p;
}

/** Runs a query of a kind with concrete (substituted) parameters. */
export async function runQuery(client: MitraClient, prefix: string, kind: string, params: Record<string, unknown>): Promise<unknown> {
  return queryKind(kind).run(client, prefix, checkParams(kind, params));
}
