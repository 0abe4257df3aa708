import type { Client } from '@elastic/elasticsearch';
import * as core from '@mitra/core';
import { simulatedHost, hostName, type FleetState } from './fleet-load';

/**
 * Every question the benchmark times, in one array, and the only place the
 * bench calls the query library: each entry calls the public core function
 * the way the CLI command of the same name does (for a fleet question, the
 * function its catalogue entry in core/src/questions runs); when a query's
 * signature changes, only its entry here changes.
 *
 * `fleet` questions go over every host (their cost must follow the answer,
 * not the fleet); `history` calls are about one host's file.
 */

export type QuestionKind = 'fleet' | 'history';

/** The query library's calls the questions make: this tree's core, or a baseline built from another commit (BENCH_BASELINE_CORE). */
export type QueryLibrary = Pick<
  typeof core,
  | 'contentAt'
  | 'diffHosts'
  | 'diffVersions'
  | 'fileDrift'
  | 'findHosts'
  | 'fleetOverview'
  | 'getSnapshot'
  | 'listVersions'
  | 'searchSnapshots'
  | 'series'
  | 'settingValues'
  | 'valueHosts'
>;

export interface Question {
  name: string;
  kind: QuestionKind;
  ask(): Promise<unknown>;
}

export interface Subject {
  client: Client;
  prefix: string;
  /** Newest @timestamp in the current state: relative times are taken from it, so every run asks the same. */
  asOf: Date;
  fleet: FleetState;
}

const DAY_MS = 86_400_000;
const LUCENE = 'filename:"/etc/fstab" AND content:ext4';

/** A host whose `path` changed during the simulated days (two versions in history), and when it changed. */
export function changedHost(fleet: FleetState, path: string): { host: string; firstAt: string; changedAt: string } {
  for (let i = 12; i < fleet.hosts; i++) {
    const file = simulatedHost(i, fleet).files.find((f) => f.path === path);
    if (file && file.versions.length > 1) return { host: hostName(i), firstAt: file.versions[0].at, changedAt: file.versions[1].at };
  }
  throw new Error(`no simulated host in the first ${fleet.hosts} changed ${path}: load a bigger fleet`);
}

export function questions(s: Subject, lib: QueryLibrary = core): Question[] {
  const { client, prefix } = s;
  const { contentAt, diffHosts, diffVersions, fileDrift, findHosts, fleetOverview, getSnapshot, listVersions } = lib;
  const { searchSnapshots, series, settingValues, valueHosts } = lib;
  const scope = { client, prefix };
  const dayBefore = new Date(s.asOf.getTime() - DAY_MS).toISOString();
  const hosts = changedHost(s.fleet, '/etc/hosts');
  const fleet = (name: string, ask: () => Promise<unknown>): Question => ({ name, kind: 'fleet', ask });
  const history = (name: string, ask: () => Promise<unknown>): Question => ({ name, kind: 'history', ask });
  return [
    fleet('overview', () => fleetOverview(client, prefix)),
    fleet('hosts --kernel 4.4', () => findHosts(client, prefix, { kernel: '4.4' })),
    fleet('hosts --os ubuntu', () => findHosts(client, prefix, { os: 'ubuntu' })),
    fleet('hosts --missing-package zsh', () => findHosts(client, prefix, { missingPackage: 'zsh' })),
    fleet("hosts --package openssl --version-range '>=1.1'", () =>
      findHosts(client, prefix, { package: 'openssl', versionRange: '>=1.1' }),
    ),
    fleet('hosts --file /etc/hosts --larger-than 4k', () => findHosts(client, prefix, { file: '/etc/hosts', largerThan: '4k' })),
    fleet('hosts --stale 1d', () => findHosts(client, prefix, { stale: '1d', now: s.asOf })),
    fleet('hosts --os ubuntu --kernel 4.4 --package zsh', () => findHosts(client, prefix, { os: 'ubuntu', kernel: '4.4', package: 'zsh' })),
    // Two broad conditions (about half the fleet each): the join's cost follows a first list of half the fleet.
    fleet('hosts --os ubuntu --package zsh', () => findHosts(client, prefix, { os: 'ubuntu', package: 'zsh' })),
    fleet('values vm.swappiness', () => settingValues(client, prefix, { key: 'vm.swappiness' })),
    fleet('values vm.swappiness --value (first 100 hosts of the most common)', () => valueHosts(client, prefix, { key: 'vm.swappiness' })),
    fleet('drift /etc/hosts', () => fileDrift(client, prefix, { path: '/etc/hosts' })),
    fleet('search (Lucene)', () => searchSnapshots(client, prefix, { query: LUCENE })),
    fleet('search (Lucene) --at 1 day before', () => searchSnapshots(client, prefix, { query: LUCENE, at: dayBefore })),
    history('get <host> /etc/hosts', () => getSnapshot(client, prefix, { host: hosts.host, path: '/etc/hosts' })),
    history('history <host> /etc/hosts', () => listVersions(scope, { host: hosts.host, path: '/etc/hosts' })),
    history('content-at <host> /etc/hosts, before the change', () =>
      contentAt(scope, { host: hosts.host, path: '/etc/hosts', at: hosts.firstAt }),
    ),
    history('diff <host> /etc/hosts, before → after the change', () =>
      diffVersions(scope, { host: hosts.host, path: '/etc/hosts', from: { at: hosts.firstAt }, to: { at: hosts.changedAt } }),
    ),
    history('diff two hosts /etc/hosts', () => diffHosts(scope, { path: '/etc/hosts', hostA: hostName(4), hostB: hosts.host })),
    history('series <host> mitra.loadavg.load1', () => series(scope, { host: hosts.host, field: 'mitra.loadavg.load1' })),
  ];
}

/** One line about an answer, to show the question asked what was meant (hosts, hits, versions...). */
export function summarise(answer: unknown): string {
  const a = answer as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['total', 'hosts', 'reporting', 'observations', 'identical']) {
    const v = a[key];
    if (typeof v === 'number' || typeof v === 'boolean') parts.push(`${key} ${v}`);
  }
  if (Array.isArray(a.values))
    parts.push(`values ${(a.values as { value: string; count: number }[]).map((v) => `${v.value}:${v.count}`).join(' ')}`);
  if (Array.isArray(a.versions)) parts.push(`versions ${a.versions.length}`);
  if (typeof a.content === 'string') parts.push(`${a.content.length} chars`);
  return parts.join(', ');
}
