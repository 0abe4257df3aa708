import { settingValues, valueHosts } from '@mitra/core';
import { agentCycleDocs, present, type AgentCycle } from './support/agent-cycle';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * `values KEY` counts each host once, by its live value when it has one and
 * by its configuration files otherwise. With every document stamped by an
 * agent that writes a host document, the hosts that may have no live value
 * are found from the host documents and the snapshots lacking the key,
 * instead of from every host that configures the key. Both ways must give the
 * same, exact answer: the truth below is written by hand, host by host.
 */
const AT = '2026-12-02T18:00:00.000Z';
const KEY = 'vm.swappiness';

const snapshot = (settings: Record<string, string>) =>
  present(
    'mitra:sysctl',
    Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}\n`)
      .join(''),
    'sysctl',
  );
const conf = (path: string, value: string) => present(path, `# tuned by hand\n${KEY} = ${value}\n`);

/** A host's cycle, and the value `values` must count it under (none: the host does not report the key). */
interface Host extends AgentCycle {
  value?: string;
}

const HOSTS: Host[] = [
  // Most of a fleet: a live value, and a configuration file that says otherwise (the live value wins).
  ...[0, 1, 2, 3].map((i) => ({
    name: `live-${i}`,
    sent: [snapshot({ [KEY]: '60', 'net.ipv4.ip_forward': '0' }), conf('/etc/sysctl.conf', '10')],
    value: '60',
  })),
  // No live snapshot at all (sysctl: off): the file's value.
  { name: 'no-snapshot', sent: [conf('/etc/sysctl.conf', '10')], value: '10' },
  // A snapshot without the key (a kernel or module without it): the files', the last one applied winning.
  {
    name: 'snapshot-without-key',
    sent: [snapshot({ 'net.ipv4.ip_forward': '1' }), conf('/etc/sysctl.d/99-tune.conf', '1'), conf('/etc/sysctl.conf', '30')],
    value: '30',
  },
  // No snapshot now, but the live file /proc/sys/vm/swappiness listed by hand: live.
  { name: 'proc-file', sent: [present('/proc/sys/vm/swappiness', '0\n'), conf('/etc/sysctl.conf', '10')], value: '0' },
  // Its agent stopped sending the snapshot: the last one is still the host's current state, so still live.
  { name: 'stale-snapshot', sent: [conf('/etc/sysctl.conf', '10')], left: [snapshot({ [KEY]: '1' })], value: '1' },
  // Lookalikes: a file that is not a sysctl configuration, and no key at all.
  { name: 'no-key', sent: [snapshot({ 'net.ipv4.ip_forward': '0' }), present('/etc/hosts', '127.0.0.1 localhost\n')] },
];

const truth = (hosts: Host[]) => {
  const counts = new Map<string, number>();
  for (const h of hosts) if (h.value !== undefined) counts.set(h.value, (counts.get(h.value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
};

/** Whether the hosts configuring the key were looked for among the candidates read from host documents (a composite over them). */
const startsFromHostDocuments = (requests: unknown[]) =>
  requests.some((r) => JSON.stringify(r).includes('composite') && JSON.stringify(r).includes('"mitra.reports":"mitra:sysctl"'));

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('values-host-doc');
  await cluster.setup();
  expect(await cluster.ingest(HOSTS.flatMap((h) => agentCycleDocs(h, AT)))).toEqual([]);
});
afterAll(() => cluster.cleanup());

test('with every document stamped, file-only hosts come from the host documents, and the counts are exact', async () => {
  const counted = countingSearches(cluster.client);
  const res = await settingValues(counted.client, cluster.prefix, { key: KEY });
  expect(res.values).toEqual(truth(HOSTS));
  expect(res.total).toBe(HOSTS.filter((h) => h.value !== undefined).length);
  expect(res.source).toBe('mixed');
  expect(startsFromHostDocuments(counted.requests())).toBe(true);
  // The hosts behind the file value are the file-only ones, named by the file that set it.
  const ten = await valueHosts(cluster.client, cluster.prefix, { key: KEY, value: '10' });
  expect(ten.hosts.map((h) => [h.host, h.path, h.source])).toEqual([['no-snapshot', '/etc/sysctl.conf', 'file']]);
  const thirty = await valueHosts(cluster.client, cluster.prefix, { key: KEY, value: '30' });
  expect(thirty.hosts.map((h) => [h.host, h.path])).toEqual([['snapshot-without-key', '/etc/sysctl.conf']]);
});

test('a key most snapshots lack (configured where the module is not loaded) starts from the configuration files instead', async () => {
  const rare = 'net.bridge.bridge-nf-call-iptables';
  const hosts: Host[] = [
    { name: 'bridge-live', sent: [snapshot({ [rare]: '1' }), present('/etc/sysctl.d/br.conf', `${rare} = 0\n`)] },
    { name: 'bridge-file', sent: [snapshot({ [KEY]: '60' }), present('/etc/sysctl.d/br.conf', `${rare} = 0\n`)] },
  ];
  expect(await cluster.ingest(hosts.flatMap((h) => agentCycleDocs(h, AT)))).toEqual([]);
  try {
    const counted = countingSearches(cluster.client);
    const res = await settingValues(counted.client, cluster.prefix, { key: rare });
    expect(res.values).toEqual([
      { value: '0', count: 1 },
      { value: '1', count: 1 },
    ]);
    // Eleven candidates (three host documents without a snapshot, eight snapshots without the key) against two configuration files: the files are the shorter way.
    expect(startsFromHostDocuments(counted.requests())).toBe(false);
  } finally {
    await cluster.client.deleteByQuery({
      index: `${cluster.prefix}current`,
      query: { terms: { 'host.name': hosts.map((h) => h.name) } },
      refresh: true,
    });
  }
});

test('one host without the stamp (the original tool, a hand-made document) sends the question back to every host configuring the key', async () => {
  const legacy = {
    '@timestamp': AT,
    host: { name: 'legacy-host' },
    file: { path: '/etc/sysctl.conf' },
    mitra: { content: `${KEY} = 10\n` },
  };
  expect(await cluster.ingest([legacy])).toEqual([]);
  try {
    const counted = countingSearches(cluster.client);
    const res = await settingValues(counted.client, cluster.prefix, { key: KEY });
    expect(res.values).toEqual(truth([...HOSTS, { name: 'legacy-host', sent: [], value: '10' }]));
    expect(startsFromHostDocuments(counted.requests())).toBe(false);
  } finally {
    await cluster.client.deleteByQuery({
      index: `${cluster.prefix}current`,
      query: { term: { 'host.name': 'legacy-host' } },
      refresh: true,
    });
  }
});
