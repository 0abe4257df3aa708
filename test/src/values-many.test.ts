import { settingHosts, settingValues, valueHosts } from '@mitra/core';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * A key with more distinct values than a distribution lists (kernel.hostname:
 * one per host). The hosts past the listed values are counted apart, never
 * dropped: the total is every host, each listed count is exact, a value past
 * the list is still counted and its hosts found, and the per-host answer
 * alert rules compare has every host.
 */
const AT = '2026-11-30T11:55:00.000Z';
const LIVE_HOSTS = 1050;
const FILE_HOSTS = 30;
const name = (i: number) => `n${String(i).padStart(4, '0')}`;
const snap = (host: string, path: string, content: string) => ({
  '@timestamp': AT,
  host: { name: host },
  file: { path, size: Buffer.byteLength(content) },
  mitra: { content },
});

// Every live host reports its own name; one of them has a /proc/sys file that wins with the last name
// (a value past the listed ones, so its count is its own host plus this one); the file-only hosts set theirs in sysctl.conf.
const LAST = name(LIVE_HOSTS - 1);
const docs = [
  ...Array.from({ length: LIVE_HOSTS }, (_, i) => snap(name(i), 'mitra:sysctl', `kernel.hostname = ${name(i)}\nvm.swappiness = 60\n`)),
  snap(name(7), '/proc/sys/kernel/hostname', `${LAST}\n`),
  ...Array.from({ length: FILE_HOSTS }, (_, i) => snap(`file-${i}`, '/etc/sysctl.conf', `kernel.hostname = f${i}\n`)),
];
const truth = new Map<string, number>();
for (let i = 0; i < LIVE_HOSTS; i++) if (i !== 7) truth.set(name(i), 1);
truth.set(LAST, 2);
for (let i = 0; i < FILE_HOSTS; i++) truth.set(`f${i}`, 1);
const HOSTS = LIVE_HOSTS + FILE_HOSTS;

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('values-many');
  await c.setup();
  expect(await c.ingest(docs)).toEqual([]);
}, 120_000);
afterAll(() => c?.cleanup());

test('the total is every host; listed values are exact and the rest are other hosts', async () => {
  const r = await settingValues(c.client, c.prefix, { key: 'kernel.hostname' });
  expect(r.total).toBe(HOSTS);
  expect(r.values.length).toBeLessThan(truth.size);
  for (const v of r.values) expect([v.value, v.count]).toEqual([v.value, truth.get(v.value)]);
  expect(r.otherHosts).toBe(HOSTS - r.values.reduce((n, v) => n + v.count, 0));
  expect(r.source).toBe('mixed');
  // a key with few values has no other hosts
  expect(await settingValues(c.client, c.prefix, { key: 'vm.swappiness' })).toMatchObject({
    total: LIVE_HOSTS,
    values: [{ value: '60', count: LIVE_HOSTS }],
  });
});

test('a value past the listed ones is counted exactly and its hosts are found', async () => {
  const page = await valueHosts(c.client, c.prefix, { key: 'kernel.hostname', value: LAST });
  expect([page.valueTotal, page.hosts.map((h) => [h.host, h.path])]).toEqual([
    2,
    [
      [name(7), '/proc/sys/kernel/hostname'],
      [LAST, 'mitra:sysctl'],
    ],
  ]);
});

test('the per-host answer has every host with the value the rules choose', async () => {
  const hosts = await settingHosts(c.client, c.prefix, { key: 'kernel.hostname' });
  expect(hosts.length).toBe(HOSTS);
  const chosen = new Map<string, number>();
  for (const h of hosts) chosen.set(h.value, (chosen.get(h.value) ?? 0) + 1);
  expect(chosen).toEqual(truth);
});
