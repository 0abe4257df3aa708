import { findHosts, fleetOverview, HOST_DOC_PATH } from '@mitra/core';
import { INVENTORY_PATHS } from '../../core/src/fleet/common';
import { agentCycleDocs, present, type AgentCycle } from './support/agent-cycle';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * `--missing-package` alone lists the hosts that send no inventory apart
 * (unknown). With every current document stamped by an agent that writes a
 * host document (mitra:host), those come from the host documents; with any
 * document not stamped, from one pass over every host. Both must give the
 * same, exact answer: the truth below is written by hand, host by host.
 */
const AT = '2026-11-30T11:55:00.000Z';
const dpkg = (names: string[]) => names.map((n) => `${n}\t1.0-1\tamd64\n`).join('');
const KERNEL = 'Linux version 5.15.0-91-generic (buildd@lcy02) (gcc 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n';

const HOSTS: AgentCycle[] = [
  { name: 'has-zsh', sent: [present('/proc/version', KERNEL), present('mitra:packages', dpkg(['bash', 'zsh']), 'dpkg')] },
  { name: 'lacks-zsh', sent: [present('/proc/version', KERNEL), present('mitra:packages', dpkg(['bash', 'zsh-common']), 'dpkg')] },
  // Every path the pipeline takes as an inventory without a format (the original tool's /tmp/pkgs among them).
  ...INVENTORY_PATHS.map((path, i) => ({ name: `inventory-path-${i}`, sent: [present(path, dpkg(['bash']))] })),
  // An HTML page where the inventory should be: kept with an error, an inventory that lists nothing, so zsh is missing.
  { name: 'html-inventory', sent: [present('mitra:packages', '<html><body>502 Bad Gateway</body></html>\n', 'dpkg')] },
  { name: 'no-inventory', sent: [present('/proc/version', KERNEL), present('/etc/hosts', '127.0.0.1 localhost\n')] },
  {
    name: 'too-large-inventory',
    sent: [present('/proc/version', KERNEL), { path: 'mitra:packages', state: 'too_large', reason: 'over maxsize' }],
  },
  // Lookalike paths are not inventories, whatever they hold.
  { name: 'lookalikes', sent: [present('/tmp/pkgs.bak', dpkg(['bash'])), present('mitra:packages_old', dpkg(['bash']))] },
  // /tmp/pkgs dropped from `files`: its last copy is still in the current state, so the host has an inventory.
  { name: 'dropped-inventory', sent: [present('/proc/version', KERNEL)], left: [present('/tmp/pkgs', dpkg(['bash']))] },
];
const TRUTH = {
  missing: ['dropped-inventory', 'html-inventory', 'lacks-zsh', ...INVENTORY_PATHS.map((_, i) => `inventory-path-${i}`)].sort(),
  unknown: ['lookalikes', 'no-inventory', 'too-large-inventory'],
};

const usesEveryHostPass = (requests: unknown[]) => requests.some((r) => JSON.stringify(r).includes('bucket_selector'));

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('host-document');
  await cluster.setup();
  expect(await cluster.ingest(HOSTS.flatMap((h) => agentCycleDocs(h, AT)))).toEqual([]);
});
afterAll(() => cluster.cleanup());

test('the host document lists what the cycle sent as present, parsed into mitra.reports', async () => {
  const res = await cluster.client.search<{ host: { name: string }; mitra: { reports?: string[]; error?: unknown } }>({
    index: `${cluster.prefix}current`,
    size: 100,
    query: { term: { 'file.path': HOST_DOC_PATH } },
  });
  const reports = Object.fromEntries(res.hits.hits.map((h) => [h._source!.host.name, h._source!.mitra.reports ?? []]));
  expect(res.hits.hits.every((h) => h._source!.mitra.error === undefined)).toBe(true);
  expect(reports['no-inventory']).toEqual(['/etc/hosts', '/proc/version']);
  expect(reports['too-large-inventory']).toEqual(['/proc/version']);
  expect(reports['dropped-inventory']).toEqual(['/proc/version']);
});

test('with every document stamped, unknown hosts come from the host documents, exactly', async () => {
  const counted = countingSearches(cluster.client);
  const res = await findHosts(counted.client, cluster.prefix, { missingPackage: 'zsh', size: 1000 });
  expect({ missing: res.hosts.map((h) => h.host), unknown: res.unknown?.map((h) => h.host) }).toEqual(TRUTH);
  expect(res.total).toBe(TRUTH.missing.length);
  // Not one pass over every host: that is what the host documents are for.
  expect(usesEveryHostPass(counted.requests())).toBe(false);
});

test('with every document stamped, the overview counts the host documents (exact at any size, where a cardinality estimates past 40,000)', async () => {
  const counted = countingSearches(cluster.client);
  const overview = await fleetOverview(counted.client, cluster.prefix);
  expect(overview.hosts).toBe(HOSTS.length);
  expect(overview.approximate).toBeUndefined();
  expect(counted.requests().some((r) => JSON.stringify(r).includes(`"file.path":"${HOST_DOC_PATH}"`))).toBe(true);
});

test('one host without the stamp (the original tool, a hand-made document) sends the question back to the pass over every host', async () => {
  expect(
    await cluster.ingest([{ '@timestamp': AT, host: { name: 'legacy-host' }, file: { path: '/etc/hosts' }, mitra: { content: 'x\n' } }]),
  ).toEqual([]);
  const counted = countingSearches(cluster.client);
  const res = await findHosts(counted.client, cluster.prefix, { missingPackage: 'zsh', size: 1000 });
  // The same answer for every agent host, and the legacy host (no host document) is still found.
  expect({ missing: res.hosts.map((h) => h.host), unknown: res.unknown?.map((h) => h.host) }).toEqual({
    missing: TRUTH.missing,
    unknown: [...TRUTH.unknown, 'legacy-host'].sort(),
  });
  expect(usesEveryHostPass(counted.requests())).toBe(true);
  // The overview counts hosts by their names again: the legacy host has no host document to count.
  expect((await fleetOverview(cluster.client, cluster.prefix)).hosts).toBe(HOSTS.length + 1);
  await cluster.client.deleteByQuery({ index: `${cluster.prefix}current`, query: { term: { 'host.name': 'legacy-host' } }, refresh: true });
});
