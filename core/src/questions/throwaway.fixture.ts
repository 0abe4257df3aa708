import { text } from '../shapes/fields';
import { QUESTIONS } from './index';
import { defineQuestion, type Catalog } from './question';

/**
 * A throwaway catalog entry for tests: "hosts whose /etc/resolv.conf names
 * nameserver X". It exists only here; the tests add it to the catalog and
 * expect it in `mitra resolv --help`, GET /api/mitra/questions, the API's
 * validation and the app's picker with no other change.
 */
export interface ResolvResult {
  total: number;
  asOf: string | null;
  hosts: { host: string; path: string; value: string; lastSeen: string | null }[];
  /** What run received (declared names, checked values), for the tests. */
  asked: Record<string, unknown>;
}

export const resolvQuestion = defineQuestion<ResolvResult>({
  id: 'resolv',
  kind: 'resolv',
  title: 'hosts whose /etc/resolv.conf names a nameserver',
  help: 'Lists the hosts whose resolver configuration names the nameserver.',
  params: {
    nameserver: { type: text('10.0.0.2', 255), label: 'Nameserver', help: 'an IP address', positional: 'one' },
    searchDomain: { type: text('example.com', 255).optional(), label: 'Search domain', help: 'also names this search domain' },
  },
  paged: false,
  run: async (_client, _prefix, p) => ({
    total: 1,
    asOf: null,
    hosts: [{ host: 'web-01', path: '/etc/resolv.conf', value: String(p.nameserver), lastSeen: null }],
    asked: p,
  }),
  columns: [{ name: 'host', help: 'a host naming the nameserver' }],
  matches: (r) => ({ count: r.total, hosts: r.hosts.map((h) => h.host) }),
  text: (r) => r.hosts.map((h) => h.host),
});

export const CATALOG_WITH_THROWAWAY: Catalog = [...QUESTIONS, resolvQuestion];
