import { settingHosts, settingValues, valueHosts } from '@mitra/core';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Which value a host counts under when it reports a setting more than once,
 * each case a host written by hand through the real pipeline: the live value
 * (the mitra:sysctl snapshot, or a /proc/sys file, which wins over the
 * snapshot) beats configuration; without a live value, the configuration file
 * `sysctl --system` applies last wins (sysctl.d in name order, then
 * /etc/sysctl.conf). The distribution counts most hosts server-side and
 * resolves only the special ones, so every rule is checked against the
 * per-host answer (settingHosts) and the host pages (valueHosts) too.
 */
const AT = '2026-11-30T11:55:00.000Z';
const snap = (host: string, path: string, content: string) => ({
  '@timestamp': AT,
  host: { name: host },
  file: { path, size: Buffer.byteLength(content) },
  mitra: { content },
});
const sysctl = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join('');

const docs = [
  snap('live-only', 'mitra:sysctl', sysctl({ 'vm.swappiness': '60', 'net.ipv4.ip_forward': '0' })),
  // live beats configuration
  snap('live-and-conf', 'mitra:sysctl', sysctl({ 'vm.swappiness': '60' })),
  snap('live-and-conf', '/etc/sysctl.conf', sysctl({ 'vm.swappiness': '10' })),
  // configuration only, one file: counted server-side
  snap('conf-only', '/etc/sysctl.conf', sysctl({ 'vm.swappiness': '10' })),
  snap('conf-only-2', '/etc/sysctl.conf', sysctl({ 'vm.swappiness': '1' })),
  // sysctl.conf is applied after sysctl.d
  snap('conf-and-d', '/etc/sysctl.d/99-tuning.conf', sysctl({ 'vm.swappiness': '5' })),
  snap('conf-and-d', '/etc/sysctl.conf', sysctl({ 'vm.swappiness': '20' })),
  // sysctl.d files in name order: the last one wins
  snap('two-d', '/etc/sysctl.d/10-a.conf', sysctl({ 'vm.swappiness': '7' })),
  snap('two-d', '/etc/sysctl.d/90-b.conf', sysctl({ 'vm.swappiness': '8' })),
  // a /proc/sys file next to the snapshot: the file wins
  snap('proc-file', 'mitra:sysctl', sysctl({ 'vm.swappiness': '60' })),
  snap('proc-file', '/proc/sys/vm/swappiness', '33\n'),
  // a configuration file that does not set the key, and a host that never mentions it
  snap('other-key', '/etc/sysctl.conf', sysctl({ 'net.ipv4.ip_forward': '1' })),
  snap('no-sysctl', '/etc/hosts', '127.0.0.1 localhost\n'),
];

const expected: Record<string, { value: string; path: string; source: 'live' | 'file' }> = {
  'live-only': { value: '60', path: 'mitra:sysctl', source: 'live' },
  'live-and-conf': { value: '60', path: 'mitra:sysctl', source: 'live' },
  'conf-only': { value: '10', path: '/etc/sysctl.conf', source: 'file' },
  'conf-only-2': { value: '1', path: '/etc/sysctl.conf', source: 'file' },
  'conf-and-d': { value: '20', path: '/etc/sysctl.conf', source: 'file' },
  'two-d': { value: '8', path: '/etc/sysctl.d/90-b.conf', source: 'file' },
  'proc-file': { value: '33', path: '/proc/sys/vm/swappiness', source: 'live' },
};

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('values-rules');
  await c.setup();
  expect(await c.ingest(docs)).toEqual([]);
}, 120_000);
afterAll(() => c?.cleanup());

test('each host counts once, under the value the rules choose', async () => {
  const r = await settingValues(c.client, c.prefix, { key: 'vm.swappiness' });
  const truth = new Map<string, number>();
  for (const { value } of Object.values(expected)) truth.set(value, (truth.get(value) ?? 0) + 1);
  expect(new Map(r.values.map((v) => [v.value, v.count]))).toEqual(truth);
  expect(r.values[0]).toEqual({ value: '60', count: 2 });
  expect(r.total).toBe(Object.keys(expected).length);
  expect(r.source).toBe('mixed');
});

test('the per-host answer alert rules compare agrees, host by host', async () => {
  const hosts = await settingHosts(c.client, c.prefix, { key: 'vm.swappiness' });
  expect(Object.fromEntries(hosts.map((h) => [h.host, { value: h.value, path: h.path, source: h.source }]))).toEqual(expected);
});

test('the hosts behind each value, with the path the value came from', async () => {
  for (const [host, e] of Object.entries(expected)) {
    const page = await valueHosts(c.client, c.prefix, { key: 'vm.swappiness', value: e.value });
    expect(page.hosts.find((h) => h.host === host)).toMatchObject({ path: e.path, source: e.source });
  }
  // a configured 10 does not count on a host whose live value is 60
  const tens = await valueHosts(c.client, c.prefix, { key: 'vm.swappiness', value: '10' });
  expect([tens.valueTotal, tens.hosts.map((h) => h.host)]).toEqual([1, ['conf-only']]);
});

test('a key only configuration files set is counted from them; a key nobody sets has no hosts', async () => {
  const forward = await settingValues(c.client, c.prefix, { key: 'net.ipv4.ip_forward' });
  expect([forward.values, forward.source]).toEqual([
    [
      { value: '0', count: 1 },
      { value: '1', count: 1 },
    ],
    'mixed',
  ]);
  expect(await settingValues(c.client, c.prefix, { key: 'vm.no_such_key' })).toMatchObject({ total: 0, values: [], source: 'none' });
});
